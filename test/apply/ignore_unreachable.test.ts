/**
 * ignore_unreachable, compared with ansible-playbook 2.14: a host a task cannot reach stays in
 * the play (later tasks run on it, the next that needs it connects again), its result is
 * registered, the output says `...ignoring`, and the recap counts it ok and ignored, not
 * unreachable (StrategyBase._process_pending_results). Without the keyword the host leaves the
 * play. The unreachable host is a closed loopback port; the other host is local.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible, recap, sortedSections } from './support.js';

const PLAYBOOK = `- hosts: all
  gather_facts: no
  tasks:
    - command: "true"
      ignore_unreachable: "{{ ignore }}"
      register: tried
    - debug: msg="after {{ tried.unreachable | default('reached') }}"
    - command: "true"
      ignore_unreachable: true
    - debug: msg=last
`;

let project: LocalProject;

/** fleet words a refused connection its own way; everything else must match. */
const withoutConnectionMessage = (output: string): string => output.replace(/(UNREACHABLE! => \{"changed": false, "msg": )"[^"]*"/g, '$1"…"');

describe.skipIf(!hasAnsible())('ignore_unreachable, as in ansible-playbook', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK, 'ghost.ini': 'ghost ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n' });
  });

  afterAll(() => project.remove());

  it.each(['true', 'false'])('keeps or drops the unreachable host as Ansible does (ignore_unreachable=%s)', (ignore) => {
    const args = ['-i', 'ghost.ini', '-e', `ignore=${ignore}`, 'site.yml'];
    const { ansible, fleet } = project.both(args, ignore === 'true' ? 0 : 4);
    // Hosts finish a task in any order, under both tools.
    expect(sortedSections(withoutConnectionMessage(fleet.stdout))).toEqual(sortedSections(withoutConnectionMessage(ansible.stdout)));
    expect(recap(fleet.stdout).get('ghost')).toEqual(recap(ansible.stdout).get('ghost'));
  }, 120_000);
});
