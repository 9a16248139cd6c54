/**
 * Inventory scripts (Ansible's `script` inventory plugin), compared with ansible-inventory and
 * ansible-playbook 2.14: an executable (or `#!`) file is run with `--list`; its groups come as a
 * list of hosts, as `hosts`/`vars`/`children`, or as a mapping of variables for a host named
 * as the group; host variables come from `_meta.hostvars`, or from `--host NAME` (JSON or
 * YAML) when there is none; its stderr is shown as an error after it succeeds
 * (always_show_stderr). A script that fails, prints what is not a JSON mapping or gives bad
 * data is one more plugin failure, and the file is then tried as YAML and INI: an executable
 * INI file still loads. Every host is on a local connection: nothing leaves the machine.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible, sortedSections } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { runIn, unwrapped, type ToolRun as Run } from './tool_run.js';

const LOCAL_VARS = '"ansible_connection": "local", "ansible_python_interpreter": "/usr/bin/python3"';

const SCRIPTS: Record<string, string> = {
  // Every group shape, `all` vars, merged and unsafe values, a host only _meta names (left out), stderr.
  'full.sh': `#!/bin/sh
[ "$1" = --list ] || exit 1
cat <<'JSON'
{
  "web": ["w1", "w2"],
  "db": {"hosts": ["d1"], "vars": {"port": 5432, "conf": {"a": 1}}, "children": ["web"]},
  "solo": {"color": "blue", "n": 1.0},
  "empty": {"hosts": [], "children": "xy"},
  "all": {"vars": {"site": "x", ${LOCAL_VARS}}},
  "_meta": {"hostvars": {"w1": {"conf": {"b": 2}, "u": {"__ansible_unsafe": "{{ nope }}"}}, "ghost": {"x": 1}}}
}
JSON
echo "a notice on stderr" >&2
`,
  // No _meta: --host for each host; JSON, YAML and an empty mapping.
  'by-host.sh': `#!/bin/sh
case "$1" in
--list) echo '{"g": ["n1", "n2", "n3"]}' ;;
--host) echo "$2" >> calls; case "$2" in n1) echo '{"v": 1}' ;; n2) printf 'v: yaml\\nw: [1, 2]\\n' ;; n3) echo '{}' ;; esac ;;
esac
`,
  // Executable, no #!: the script plugin cannot run it (Exec format error), the ini plugin reads it.
  'exec-ini': 'hx ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n',
  'fails.sh': '#!/bin/sh\necho "boom happened" >&2\nexit 3\n',
  'not-json.sh': '#!/bin/sh\necho "not json"\necho "err text" >&2\n',
  'a-list.sh': "#!/bin/sh\necho '[1, 2]'\n",
  'bad-hosts.sh': `#!/bin/sh\necho '{"bad": {"hosts": "h1"}}'\n`,
  'meta-list.sh': `#!/bin/sh\necho '{"m": ["l1"], "_meta": {"hostvars": [1]}}'\n`,
  'int-host.sh': `#!/bin/sh\necho '{"i": {"hosts": [5]}}'\n`,
  'empty-host.sh': `#!/bin/sh\ncase "$1" in --list) echo '{"e": ["e1"], "_meta": {}}' ;; esac\n`,
  'not-utf8.sh': `#!/bin/sh\nprintf '{"g": ["\\377"]}'\n`,
  // Starts with #! but is not executable: running it fails.
  'no-exec.sh': '#!/bin/sh\necho {}\n',
};

const PLAYBOOK = `- hosts: all
  gather_facts: no
  tasks:
    - debug:
        msg: "{{ group_names }} site={{ site | default('-') }} port={{ port | default('-') }} conf={{ conf | default('-') }} n={{ n | default('-') }} {{ n | default(0) | type_debug }} v={{ v | default('-') }} w={{ w | default('-') }} u={{ u | default('-') }} {{ u | default('') | type_debug }} file={{ inventory_file | basename }}"
`;

let dir: string;
let fleet: string;

const run = (command: string, args: string[], env: Record<string, string> = {}): Run => runIn(dir, command, args, env);


const sources = (...names: string[]): string[] => names.flatMap((name) => ['-i', name]);

describe.skipIf(!hasAnsible())('inventory scripts, as in ansible-inventory and ansible-playbook', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-inventory-script-'));
    for (const [name, text] of Object.entries(SCRIPTS)) {
      writeFileSync(join(dir, name), text);
      if (name !== 'no-exec.sh') chmodSync(join(dir, name), 0o755);
    }
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
    fleet = join(fleetBinDir(), 'fleet');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the same groups, hosts and variables, with the same errors and warnings', () => {
    const args = ['--list', ...sources(...Object.keys(SCRIPTS))];
    const ansible = run('ansible-inventory', args);
    const ours = run(fleet, ['inventory', ...args]);
    expect(ansible.status, ansible.stderr).toBe(0);
    expect(ours.status, ours.stderr).toBe(0);
    expect(ours.stdout).toBe(ansible.stdout);
    expect(unwrapped(ours.stderr)).toBe(unwrapped(ansible.stderr));
    // What the comparison stands on.
    expect(ansible.stderr).toContain('[ERROR]: a notice on stderr');
    expect(unwrapped(ansible.stderr)).toContain('with script plugin: Inventory script');
    expect(ansible.stdout).toContain('"hx"');
  });

  it('shows no stderr with always_show_stderr off', () => {
    const args = ['--host', 'w1', ...sources('full.sh')];
    const env = { ANSIBLE_INVENTORY_PLUGIN_SCRIPT_STDERR: 'no' };
    const ansible = run('ansible-inventory', args, env);
    const ours = run(fleet, ['inventory', ...args], env);
    expect(ansible.stderr).not.toContain('ERROR');
    expect([ours.status, ours.stdout, ours.stderr]).toEqual([ansible.status, ansible.stdout, ansible.stderr]);
  });

  it('runs a playbook on the hosts the scripts give, with their variables, calling --host once per host', () => {
    const args = [...sources('full.sh', 'by-host.sh'), 'site.yml'];
    const callsOf = (tool: () => Run): { result: Run; calls: string[] } => {
      rmSync(join(dir, 'calls'), { force: true });
      const result = tool();
      return { result, calls: readFileSync(join(dir, 'calls'), 'utf8').split('\n').filter(Boolean).sort() };
    };
    const ansible = callsOf(() => run('ansible-playbook', args));
    const ours = callsOf(() => run(fleet, ['apply', ...args]));
    expect(ansible.result.status, ansible.result.stdout + ansible.result.stderr).toBe(0);
    expect(ours.result.status, ours.result.stdout + ours.result.stderr).toBe(0);
    expect(sortedSections(ours.result.stdout)).toEqual(sortedSections(ansible.result.stdout));
    expect(ours.result.stderr).toBe(ansible.result.stderr);
    expect(ours.calls).toEqual(ansible.calls);
    expect(ansible.calls).toEqual(['n1', 'n2', 'n3']);
    expect(ansible.result.stdout).toContain(`"msg": "['db', 'web'] site=x port=5432 conf={'b': 2} n=- int v=- w=- u={{ nope }} AnsibleUnsafeText file=full.sh"`);
  }, 60_000);
});
