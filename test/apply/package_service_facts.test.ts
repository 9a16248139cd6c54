/**
 * package_facts and service_facts compared with ansible-playbook 2.14 on a local connection.
 * This machine's packages (apt: every installed package's version, architecture, section and
 * origin, which python-apt takes from the package indexes apt downloaded) are compared whole
 * through a hash of the fact, and its SysV services as printed. A second run, in a mount
 * namespace where /proc/1/comm says systemd and systemctl and service are stand-ins printing
 * recorded output, takes the paths this container's own init does not: systemd's unit lists,
 * the per-unit ActiveState questions, a failing unit list and a failing `service`, and the
 * order of names both sources report.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetProgram } from '../support/fleet_cli.js';
import { fromFirstPlay, localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const MACHINE_PLAYBOOK = `- hosts: testhost
  gather_facts: no
  tasks:
    - package_facts:
      register: pf
    - name: known packages, the count, the order and a hash of the whole fact
      debug:
        msg: >-
          {{ pf.keys() | list }} {{ pf.ansible_facts.packages | length }}
          {{ pf.ansible_facts.packages['ansible-core'] }} {{ pf.ansible_facts.packages['openssh-client'] }}
          {{ pf.ansible_facts.packages.bash }} {{ (pf.ansible_facts.packages | list)[:3] }}
          {{ pf.ansible_facts.packages | to_json | hash('sha1') }}
    - name: the fact is a variable too
      debug:
        msg: "{{ packages.bash[0].keys() | list }} {{ ansible_facts.packages | length }}"
    - name: no rpm here
      package_facts:
        manager: rpm
      ignore_errors: true
    - service_facts:
      register: sf
    - debug:
        msg: "{{ sf.keys() | list }} {{ sf.ansible_facts.services | list }}"
    - debug:
        var: sf.ansible_facts.services
`;

const SYSTEMD_PLAYBOOK = `- hosts: testhost
  gather_facts: no
  tasks:
    - service_facts:
      register: sf
    - debug:
        msg: "{{ sf.keys() | list }} {{ sf.ansible_facts.services | list | join(' ') }}"
    - debug:
        var: sf
    - file:
        path: "{{ playbook_dir }}/bus-down"
        state: touch
    - service_facts:
      register: down
    - debug:
        var: down
`;

/** systemd 252's lists as a systemd machine prints them, ActiveState answers, and a bus that goes down. */
const fakeSystemctl = (dir: string): string => `#!/bin/sh
case $1 in
list-units)
  if [ -e '${dir}/bus-down' ]; then echo 'Failed to connect to bus: Host is down' >&2; exit 1; fi
  cat <<'UNITS'
  UNIT                           LOAD      ACTIVE   SUB     DESCRIPTION
  cron.service                   loaded    active   running Regular background program processing daemon
● display-manager.service        not-found inactive dead    display-manager.service
  getty@tty1.service             loaded    active   running Getty on tty1
● ssh.service                    loaded    failed   failed  OpenBSD Secure Shell server
  x11-common.service             masked    inactive dead    x11-common.service
  e2scrub_reap.service           loaded    inactive dead    Remove Stale Online ext4 Metadata Check Snapshots

LOAD   = Reflects whether the unit definition was properly loaded.
ACTIVE = The high-level unit activation state, i.e. generalization of SUB.
SUB    = The low-level unit activation state, values depend on unit type.
6 loaded units listed.
To show all installed unit files use 'systemctl list-unit-files'.
UNITS
  ;;
list-unit-files)
  cat <<'FILES'
UNIT FILE                              STATE    PRESET
apt-daily.service                      static   -
autovt@.service                        alias    -
cron.service                           enabled  enabled
cryptdisks.service                     masked   enabled
getty@.service                         enabled  enabled
ssh.service                            enabled  enabled
x11-common.service                     masked   enabled
dbus.service                           static   -

8 unit files listed.
FILES
  ;;
show)
  case $2 in
  apt-daily.service) echo ActiveState=inactive ;;
  autovt@.service) echo 'Failed to get properties: Unit name autovt@.service is not valid.' >&2; exit 1 ;;
  cryptdisks.service) ;;
  getty@.service) echo 'ActiveState=active  ' ;;
  *) echo ActiveState=failed ;;
  esac
  ;;
*) exit 2 ;;
esac
`;

/** `service --status-all` with a `[ ? ]` line, a name with spaces, a name systemd also reports, and a failing script. */
const FAKE_SERVICE = `#!/bin/sh
[ "$1" = --status-all ] || exit 2
echo ' [ + ]  cron'
echo ' [ ? ]  hwclock.sh'
echo ' [ - ]  dbus'
echo ' [ + ]  name with  spaces '
echo ' [ - ]  cron.service'
echo 'one init script failed' >&2
exit 1
`;

/** Whether this process may make a mount namespace (root with CAP_SYS_ADMIN). */
function canUnshare(): boolean {
  return spawnSync('unshare', ['-m', 'true']).status === 0;
}

describe.skipIf(!hasAnsible())('package_facts and service_facts, as in ansible-playbook', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'machine.yml': MACHINE_PLAYBOOK, 'systemd.yml': SYSTEMD_PLAYBOOK, 'systemctl': fakeSystemctl(''), 'service': FAKE_SERVICE, comm: 'systemd\n' });
  });
  afterAll(() => project?.remove());

  it("reports this machine's packages and services as ansible-playbook does", async () => {
    const { ansible, fleet } = await project.bothAtOnce(['machine.yml']);
    expect(fromFirstPlay(fleet.stdout)).toBe(fromFirstPlay(ansible.stdout));
    expect(ansible.stdout).toMatch(/'source': 'apt'\}\] \[\{'name': 'openssh-client'/);
    expect(ansible.stdout).toContain('Could not detect a supported package manager from the following list: [\'rpm\']');
  }, 60_000);

  it.skipIf(!canUnshare())('reads systemd and SysV services as ansible-playbook does where PID 1 is systemd', () => {
    const dir = project.dir;
    writeFileSync(join(dir, 'systemctl'), fakeSystemctl(dir));
    chmodSync(join(dir, 'systemctl'), 0o755);
    chmodSync(join(dir, 'service'), 0o755);
    const mounts = ['comm /proc/1/comm', 'systemctl /usr/bin/systemctl', 'service /usr/sbin/service'].map((pair) => `mount --bind ${pair}`).join(' && ');
    const inNamespace = (command: string[]) => {
      spawnSync('rm', ['-f', join(dir, 'bus-down')]);
      const done = spawnSync('unshare', ['-m', 'sh', '-c', `${mounts} && exec "$@"`, 'sh', ...command], {
        cwd: dir,
        encoding: 'utf8',
        input: '',
        env: { ...process.env, ANSIBLE_NOCOLOR: '1' },
      });
      expect(done.status, done.stdout + done.stderr).toBe(0);
      return done.stdout;
    };
    const ansible = inNamespace(['ansible-playbook', '-i', 'inventory', 'systemd.yml']);
    const [node, fleetArgs] = fleetProgram(['apply', '-i', 'inventory', 'systemd.yml']);
    const fleet = inNamespace([node, ...fleetArgs]);
    expect(fromFirstPlay(fleet)).toBe(fromFirstPlay(ansible));
    expect(ansible).toContain(`'failed', 'changed'] cron dbus name with  spaces  cron.service display-manager.service`);
    expect(ansible).toContain('Could not list units from systemd: Failed to connect to bus: Host is down');
  }, 60_000);
});
