/**
 * Where roles are searched when ansible.cfg and ANSIBLE_ROLES_PATH say nothing: base.yml's
 * DEFAULT_ROLES_PATH, `{{ ANSIBLE_HOME }}/roles:/usr/share/ansible/roles:/etc/ansible/roles`
 * with ANSIBLE_HOME defaulting to ~/.ansible. `fleet apply` and ansible-playbook 2.14 run the
 * same playbooks on localhost over the local connection (debug tasks only) with a temporary
 * HOME, and must load the same role, or name the same searched places when none is found.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-default-roles-'));
const home = join(dir, 'home');
let fleet: string;

function write(path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

function play(name: string, body: string): string {
  write(`${name}.yml`, `- hosts: all\n  gather_facts: false\n${body}`);
  return `${name}.yml`;
}

function run(command: string, args: string[], playbook: string, extraEnv: Record<string, string> = {}) {
  const env = { PATH: process.env.PATH, HOME: home, ANSIBLE_NOCOLOR: '1', ...extraEnv };
  return spawnSync(command, [...args, '-i', 'localhost,', '-c', 'local', playbook], { cwd: dir, env, encoding: 'utf8' });
}

const both = (playbook: string, extraEnv: Record<string, string> = {}) => ({
  ours: run(fleet, ['apply'], playbook, extraEnv),
  theirs: run('/usr/bin/ansible-playbook', [], playbook, extraEnv),
});

/** The places a "role not found" error names, as both tools print them (fleet adds its key path after). */
function searched(stderr: string): string {
  const found = /the role '[^']*' was not found in (\S+)/.exec(stderr);
  expect(found, stderr).not.toBeNull();
  return found?.[1] ?? '';
}

beforeAll(() => {
  fleet = join(fleetBinDir(), 'fleet');
  write('home/.ansible/roles/from_home/tasks/main.yml', '- debug: msg="from ~/.ansible/roles"\n');
  write('ansible_home/roles/from_home/tasks/main.yml', '- debug: msg="from ANSIBLE_HOME"\n');
  // A role reached by its path; the role it imports sits beside it, where only a dependency is looked for.
  write('shared/importer/tasks/main.yml', '- import_role: {name: beside}\n');
  write('shared/depender/meta/main.yml', 'dependencies: [beside]\n');
  write('shared/beside/tasks/main.yml', '- debug: msg=beside\n');
  write('roles/needs_missing/meta/main.yml', 'collections: [my.coll]\ndependencies: [nope]\n');
});

describe.skipIf(!hasAnsible())('the default roles path', () => {
  it('loads a role found only under ~/.ansible/roles, as ansible-playbook does', () => {
    const { ours, theirs } = both(play('home_role', '  roles: [from_home]\n'));
    expect(theirs.status, theirs.stderr).toBe(0);
    expect(ours.status, ours.stderr).toBe(0);
    expect(ours.stdout).toContain('"msg": "from ~/.ansible/roles"');
    expect(ours.stdout).toBe(theirs.stdout);
  }, 60_000);

  it('roots it at ANSIBLE_HOME when that is set, without a warning', () => {
    const { ours, theirs } = both(play('home_role', '  roles: [from_home]\n'), { ANSIBLE_HOME: join(dir, 'ansible_home') });
    expect(ours.status, ours.stderr).toBe(0);
    expect(ours.stdout).toContain('"msg": "from ANSIBLE_HOME"');
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stderr).toBe('');
  }, 60_000);

  it.each([
    ['a play', play('missing', '  roles: [nope]\n')],
    ['a play with collections (named first, with ansible.legacy)', play('missing_coll', '  collections: [community.general, my.coll]\n  roles: [nope]\n')],
    ['a play that lists ansible.builtin', play('missing_builtin', '  collections: [ansible.builtin, my.coll]\n  roles: [nope]\n')],
    ['a dependency (ansible.legacy only, the role dir before the playbook dir)', play('missing_dep', '  collections: [other.coll]\n  roles: [needs_missing]\n')],
    ['an import_role (the task collections, no role dir)', play('missing_import', '  collections: [my.coll]\n  tasks:\n    - import_role: {name: nope}\n')],
  ])('names the places searched for a missing role of %s as ansible-playbook does', (_, playbook) => {
    const { ours, theirs } = both(playbook);
    expect(theirs.status).not.toBe(0);
    expect(ours.status).not.toBe(0);
    expect(searched(theirs.stderr)).toContain(`${home}/.ansible/roles:/usr/share/ansible/roles:/etc/ansible/roles`);
    expect(searched(ours.stderr)).toBe(searched(theirs.stderr));
  }, 60_000);

  it("finds a dependency beside the role that needs it, but not an imported role", () => {
    const dependency = both(play('depender', '  roles: [shared/depender]\n'));
    expect(dependency.theirs.status, dependency.theirs.stderr).toBe(0);
    expect(dependency.ours.status, dependency.ours.stderr).toBe(0);
    expect(dependency.ours.stdout).toBe(dependency.theirs.stdout);
    const imported = both(play('importer', '  roles: [shared/importer]\n'));
    expect(imported.theirs.status).not.toBe(0);
    expect(imported.ours.status).not.toBe(0);
    expect(searched(imported.ours.stderr)).toBe(searched(imported.theirs.stderr));
  }, 60_000);
});
