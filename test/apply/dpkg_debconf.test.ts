import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject, type ToolRun } from './local_project.js';

/**
 * dpkg_selections and debconf against ansible-playbook on a local connection, each tool in a
 * mount namespace of its own where /var/lib/dpkg and /var/cache/debconf are its own full
 * copies of this machine's (dpkg takes its lock file there), so the real package state is
 * never touched. One run per tool, with --diff: dpkg_selections holds a package and again
 * (no change), in check mode, an arch-qualified name, a package dpkg does not know (changed,
 * as dpkg only warns), a glob (the first line's selection is read), a name run_command expands
 * for --get-selections but not in the line --set-selections gets (dpkg's failure), a bad
 * selection and no dpkg on PATH. debconf queries two packages, sets a select and again, in
 * check mode, with `unseen`, the `seen` type, booleans (compared lower-cased; a new one's
 * True is reported as given), a multiselect in another order (changed: 2.14 compares the
 * text), a password (changed every time: debconf-show omits it), a question of a package not
 * installed, a run without diff (`diff: {}`), and its failures (debconf-show's usage for an
 * empty name, debconf-set-selections' parse error, a null value with a question). Registered
 * results, recap and the state left in each copy are compared.
 */
const PLAY = `- hosts: testhost
  gather_facts: false
  tasks:
    - dpkg_selections: { name: tzdata, selection: hold }
      register: hold
    - dpkg_selections: { name: tzdata, selection: hold }
      register: hold_again
    - dpkg_selections: { name: tzdata, selection: install }
      check_mode: true
      register: checked
    - ansible.builtin.dpkg_selections: { name: "libc6:amd64", selection: deinstall }
      register: qualified
    - dpkg_selections: { name: fleet-no-such-package, selection: purge }
      register: unknown
    - dpkg_selections: { name: "tz*", selection: hold }
      register: glob
    - dpkg_selections: { name: "$FLEET_PKG", selection: install }
      environment: { FLEET_PKG: tzdata }
      register: expanded
      ignore_errors: true
    - dpkg_selections: { name: tzdata, selection: bogus }
      register: bad_selection
      ignore_errors: true
    - dpkg_selections: { name: tzdata, selection: install }
      environment: { PATH: /nonexistent }
      register: no_dpkg
      ignore_errors: true
    - debconf: { name: "tzdata man-db" }
      register: query
    - debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: Europe }
      register: area
    - debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: Europe }
      register: area_again
    - debconf: { name: tzdata, question: tzdata/Zones/Europe, vtype: select, value: Berlin }
      check_mode: true
      register: zone_checked
    - debconf: { name: tzdata, question: tzdata/Zones/Europe, vtype: select, value: Paris, unseen: true }
      register: zone
    - debconf: { name: tzdata, question: tzdata/Zones/Etc, vtype: seen, value: "false" }
      register: seen
    - debconf: { pkg: man-db, setting: man-db/auto-update, vtype: boolean, answer: false }
      register: bool
    - debconf: { name: man-db, question: man-db/auto-update, vtype: boolean, value: "FALSE" }
      register: bool_again
    - debconf: { name: fleet-test, question: fleet-test/flag, vtype: boolean, value: true }
      register: new_bool
    - debconf: { name: fleet-test, question: fleet-test/flag, vtype: boolean, value: "True" }
      register: new_bool_again
    - debconf: { name: locales, question: locales/locales_to_be_generated, vtype: multiselect, value: "en_US.UTF-8 UTF-8, de_DE.UTF-8 UTF-8" }
      register: multi
    - debconf: { name: locales, question: locales/locales_to_be_generated, vtype: multiselect, value: "de_DE.UTF-8 UTF-8, en_US.UTF-8 UTF-8" }
      register: multi_reordered
    - debconf: { name: fleet-test, question: fleet-test/secret, vtype: password, value: s3cret }
      register: password
    - debconf: { name: fleet-test, question: fleet-test/secret, vtype: password, value: s3cret }
      register: password_again
    - debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: Asia }
      diff: false
      register: no_diff
    - debconf: { name: "", question: x/y, vtype: string, value: z }
      register: no_name
      ignore_errors: true
    - debconf: { name: fleet-test, question: fleet-test/lines, vtype: string, value: "a\\nb" }
      register: two_lines
      ignore_errors: true
    - debconf: { name: tzdata, question: tzdata/Areas, vtype: select, value: null }
      register: null_value
      ignore_errors: true
    - debug:
        msg: "{{ [hold, hold_again, checked, qualified, unknown, glob, expanded, bad_selection, no_dpkg, query, area, area_again, zone_checked, zone, seen, bool, bool_again, new_bool, new_bool_again, multi, multi_reordered, password, password_again, no_diff, no_name, two_lines, null_value] }}"
`;

const TOOLS = ['ansible', 'fleet'] as const;
type Tool = (typeof TOOLS)[number];

// sh -c SCRIPT ns DPKG DEBCONF PROGRAM ARGS…: the copies mounted over the real directories, then PROGRAM.
const WITH_COPIES = 'mount --bind "$1" /var/lib/dpkg && mount --bind "$2" /var/cache/debconf && shift 2 && exec "$@"';
const STATE = 'dpkg --get-selections && debconf-show tzdata man-db locales fleet-test | LC_ALL=C sort';

/** The wrapper that runs a command with the tool's copies mounted over the real directories. */
const inCopies = (project: LocalProject, tool: Tool): string[] => ['unshare', '--mount', 'sh', '-c', WITH_COPIES, 'ns', join(project.dir, `${tool}-dpkg`), join(project.dir, `${tool}-debconf`)];

const realState = (): string => spawnSync('sh', ['-c', STATE], { encoding: 'utf8' }).stdout;

describe('dpkg_selections and debconf on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'play.yml': PLAY });
    for (const tool of TOOLS) {
      const copied = spawnSync('sh', ['-c', 'cp -a /var/lib/dpkg "$1-dpkg" && cp -a /var/cache/debconf "$1-debconf"', 'sh', join(project.dir, tool)], { encoding: 'utf8' });
      if (copied.status !== 0) throw new Error(copied.stderr);
    }
  });
  afterAll(() => project?.remove());

  it('sets selections and answers as ansible-playbook does, in copies of the package databases', { timeout: 120_000 }, async ({ expect }) => {
    const before = realState();
    const [ansible, fleet] = (await Promise.all(TOOLS.map((tool) => project.runAsync(tool, ['play.yml', '-v', '--diff'], {}, inCopies(project, tool))))) as [ToolRun, ToolRun];
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    expect(fromFirstPlay(fleet.stdout)).toBe(fromFirstPlay(ansible.stdout));
    expect(ansible.stdout).toMatch(/ok=28 +changed=15 +unreachable=0 +failed=0 +skipped=0 +rescued=0 +ignored=6/);

    const [ansibleState, fleetState] = TOOLS.map((tool) => {
      const [program = '', ...argv] = inCopies(project, tool);
      return spawnSync(program, [...argv, 'sh', '-c', STATE], { encoding: 'utf8' });
    });
    expect(fleetState?.stdout).toBe(ansibleState?.stdout);
    expect(ansibleState?.stdout).toMatch(/^tzdata\t+hold$/m);
    expect(ansibleState?.stdout).toContain('  tzdata/Zones/Europe: Paris\n');
    expect(realState()).toBe(before);
  });
});
