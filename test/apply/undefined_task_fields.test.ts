import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobBatch } from '../support/both_tools.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { hasAnsible } from './support.js';

/**
 * A task keyword other than the module's arguments and `when` whose template uses an undefined
 * variable, run by fleet and by ansible-playbook 2.14 on `localhost,` with the local connection:
 * the same output (Task.post_validate's message at the task, PlayContext's without a position,
 * the loop's and run_once's own), the same recap and exit code. A task after it shows whether
 * the host went on.
 *
 * Every playbook below is one job; all are run before the tests (ansible-playbook's in one
 * batched process), and each test compares its own job's runs.
 */
const work = mkdtempSync(join(tmpdir(), 'fleet-undefined-fields-'));
const fleetBin = join(fleetBinDir(), 'fleet');
const env = { ...process.env, ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' };

const keywords: { name: string; action?: string; lines: string[]; after?: string }[] = [
  // PlayContext fields
  { name: 'become_user', lines: ['become_user: "{{ nope }}"'] },
  { name: 'become', lines: ['become: "{{ nope }}"'] },
  { name: 'remote_user', lines: ['remote_user: "{{ nope }}"'] },
  { name: 'connection', lines: ['connection: "{{ nope }}"'] },
  { name: 'check_mode', lines: ['check_mode: "{{ nope }}"'] },
  // The failure is censored, as the raw text is true; what it registers shows the message.
  { name: 'no_log', lines: ['no_log: "{{ nope }}"', 'register: r', 'ignore_errors: true'], after: 'debug: var=r' },
  // Task fields
  { name: 'delegate_to', lines: ['delegate_to: "{{ nope }}"'] },
  { name: 'environment', lines: ['environment: "{{ nope }}"'] },
  { name: 'environment value', lines: ['environment:', '  A: "{{ nope }}"'] },
  { name: 'timeout', lines: ['timeout: "{{ nope }}"'] },
  { name: 'ignore_errors', lines: ['ignore_errors: "{{ nope }}"'] },
  { name: 'ignore_unreachable', lines: ['ignore_unreachable: "{{ nope }}"'] },
  // The strategy reads it untemplated, so the failure is fatal to the play as well.
  { name: 'any_errors_fatal', lines: ['any_errors_fatal: "{{ nope }}"'] },
  { name: 'retries without until', lines: ['retries: "{{ nope }}"'] },
  { name: 'delay', lines: ['delay: "{{ nope }}"'] },
  { name: 'notify', lines: ['notify: "{{ nope }}"'] },
  // Evaluated by the executor or the strategy
  { name: 'loop', lines: ['loop: "{{ nope }}"'] },
  // debug's failed item shows as (item=None) in Ansible, a module's as its item.
  { name: 'loop_control.label', action: 'command: echo hi', lines: ['loop: [1]', 'loop_control:', '  label: "{{ nope }}"'] },
  { name: 'run_once', lines: ['run_once: "{{ nope }}"'] },
  // Which error wins: a false `when` skips before any, the loop's comes before PlayContext's.
  { name: 'false when', lines: ['become_user: "{{ nope }}"', 'timeout: "{{ nope }}"', 'when: false'] },
  { name: 'loop before become_user', lines: ['become_user: "{{ nope }}"', 'loop: "{{ nope2 }}"'] },
  { name: 'a variable that beats the keyword', lines: ['become_user: "{{ nope }}"', 'vars:', '  ansible_become_user: root'] },
  { name: 'a delegated task keeps its PlayContext error', lines: ['become_user: "{{ nope }}"', 'delegate_to: localhost'] },
];

function playbook(name: string, action: string, lines: string[], after: string): string {
  const path = join(work, `${name.replace(/\W+/g, '-')}.yml`);
  const task = lines.map((line) => `      ${line}\n`).join('');
  writeFileSync(path, `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: t\n      ${action}\n${task}    - ${after}\n`);
  return path;
}

/** The interpreter discovery Ansible reports on a module's first run, which fleet has none of. */
const INTERPRETER = /"ansible_facts": \{"discovered_interpreter_python": "[^"]*"\}, /;

/** A command result's times differ from run to run. */
function timeless(output: string): string {
  return output.replace(/"(start|end|delta)": "[^"]*"/g, '"$1": "…"');
}

const batch = jobBatch(fleetBin);
const job = (args: string[]) => batch.add({ args, cwd: work, env });
const onLocalhost = (path: string) => ['-i', 'localhost,', '-c', 'local', path];

beforeAll(async () => {
  if (hasAnsible()) await batch.run();
}, 600_000);

describe.skipIf(!hasAnsible())('an undefined variable in a task keyword fails as in ansible-playbook', () => {
  const cases = keywords.map((keyword) => ({
    ...keyword,
    runs: job(onLocalhost(playbook(keyword.name, keyword.action ?? 'debug: msg=hi', keyword.lines, keyword.after ?? 'debug: msg=after'))),
  }));
  it.each(cases)('$name', ({ runs: runsOf }) => {
    const { ansible: theirs, fleet: ours } = runsOf();
    expect(timeless(ours.stdout)).toBe(timeless(theirs.stdout).replace(INTERPRETER, ''));
    expect(ours.stderr).toBe(theirs.stderr);
    expect(ours.status).toBe(theirs.status);
  });
});

describe.skipIf(!hasAnsible())('any_errors_fatal', () => {
  const path = join(work, 'any-errors-fatal-template.yml');
  writeFileSync(path, `- hosts: all\n  gather_facts: false\n  vars:\n    f: false\n  tasks:\n    - assert:\n        that: inventory_hostname != 'a'\n      any_errors_fatal: "{{ f }}"\n    - debug: msg=after\n`);
  const runsOf = job(['-i', 'a,b', '-c', 'local', '-f', '1', path]);
  it('is read as written, untemplated: "{{ f }}" with f false still ends the play on a failure', () => {
    const { ansible: theirs, fleet: ours } = runsOf();
    expect(theirs.stdout).toContain('NO MORE HOSTS LEFT');
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(theirs.status);
  });
});

// Not reset_connection: on the local connection Ansible also warns that it cannot reset it, which fleet does not.
const metas = ['end_host', 'end_play', 'end_batch', 'flush_handlers', 'clear_host_errors', 'clear_facts', 'noop', 'refresh_inventory'];

/**
 * The strategy evaluates a meta task's `when` itself: one that cannot be evaluated ends the run
 * with the conditional's message at the task (exit 1, no recap), where the metas that ignore
 * `when` warn and go on. (The task before it is a YAML mapping: after a `k=v` line, Ansible's
 * libyaml positions point into that line, which fleet does not imitate.)
 */
describe.skipIf(!hasAnsible())('a meta task whose when cannot be evaluated', () => {
  for (const meta of metas) {
    const path = join(work, `meta-${meta}.yml`);
    writeFileSync(path, `- hosts: all\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: before\n    - meta: ${meta}\n      when: nope\n    - debug:\n        msg: after\n`);
    const runsOf = job(onLocalhost(path));
    it(meta, () => {
      const { ansible: theirs, fleet: ours } = runsOf();
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.stderr).toBe(theirs.stderr);
      expect(ours.status).toBe(theirs.status);
    });
  }
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(join(fleetBin, '..'), { recursive: true, force: true });
});
