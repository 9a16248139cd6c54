/**
 * DEFAULT_GATHER_SUBSET (ANSIBLE_GATHER_SUBSET, [defaults] gather_subset), which ansible-core
 * 2.14 still honours with a deprecation warning: Play.gather_subset's default, so it shapes the
 * implicit gathering of a play that sets no gather_subset of its own. Compared with
 * ansible-playbook on a local connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = `- hosts: testhost
  tasks:
    - debug: msg="{{ ansible_facts.keys() | list | length }} {{ ansible_facts.gather_subset }} {{ ansible_env is defined }}"
- hosts: testhost
  gather_subset: [network]
  tasks:
    - debug: msg="{{ ansible_facts.gather_subset }}"
`;

let project: LocalProject;

describe.skipIf(!hasAnsible())('the gather_subset setting, as in ansible-playbook', () => {
  beforeAll(() => {
    process.env.ANSIBLE_GATHER_SUBSET = '!all,!min,env';
    project = localProject({ 'site.yml': PLAYBOOK });
  });

  afterAll(() => {
    delete process.env.ANSIBLE_GATHER_SUBSET;
    project.remove();
  });

  it("is the gather_subset of a play that sets none, with Ansible's deprecation warning", () => {
    const { ansible, fleet } = project.both(['site.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
    expect(ansible.stdout).toContain(`"msg": "4 ['!all', '!min', 'env'] True"`);
    expect(ansible.stderr).toContain('[DEPRECATION WARNING]: DEFAULT_GATHER_SUBSET option');
  }, 120_000);
});
