import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom, type ApplyFlags } from '../../src/cli/apply.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import { DefaultTextSink } from '../../src/output/default_text.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { recap, sortedSections } from './support.js';

/**
 * Handlers — force_handlers (--force-handlers, ANSIBLE_FORCE_HANDLERS, ansible.cfg, the play
 * keyword) and how notifications reach and run them — each run under ansible-playbook and
 * fleet on h28 and h29: same output (banner by banner), recap and exit code, and the handler
 * ran on the same hosts (each run appends the host's name to a log in its home).
 */

const HANDLER_LOG = 'force_handlers.log';

/** Ansible's handlers target test_force_handlers.yml in small: h28 fails after both were notified. */
function playbook(forceHandlers?: boolean): string {
  return `- name: force handlers
  hosts: all
  gather_facts: false
${forceHandlers === undefined ? '' : `  force_handlers: ${forceHandlers}\n`}  pre_tasks:
    - name: notified before the tasks
      command: "true"
      changed_when: true
      notify: early handler
  tasks:
    - name: notify
      command: "true"
      changed_when: true
      notify: record handler
    - name: EXPECTED FAILURE on h28
      fail:
        msg: "fail {{ inventory_hostname }}"
      when: inventory_hostname == 'h28' or (fail_all | default(false) | bool)
    - name: after the failure
      debug:
        msg: "CALLED_TASK_{{ inventory_hostname }}"
  post_tasks:
    - name: post task
      debug:
        msg: "POST_{{ inventory_hostname }}"
  handlers:
    - name: early handler
      debug:
        msg: "EARLY_{{ inventory_hostname }}"
    - name: record handler
      shell: echo "{{ inventory_hostname }}" >> "$HOME/${HANDLER_LOG}"
`;
}

/** Ansible's #36649 in small: a handler failing under any_errors_fatal ends the play for every host. */
const FATAL_HANDLER = `- hosts: all
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - name: notify
      command: "true"
      changed_when: true
      notify: failing handler
    - meta: flush_handlers
    - name: never reached
      shell: echo "{{ inventory_hostname }}" >> "$HOME/${HANDLER_LOG}"
  handlers:
    - name: failing handler
      fail:
        msg: handler failed
      when: inventory_hostname == 'h28'
`;

interface Outcome {
  exitCode: number;
  output: string;
  /** Hosts whose handler (or never-reached task) wrote to the log, sorted. */
  logged: string[];
}

let dir: string;
let inventory: string;
let hosts: SandboxHost[];

function logged(): string[] {
  return hosts.flatMap((host) => {
    try {
      return readFileSync(join(host.home, HANDLER_LOG), 'utf8').split('\n').filter(Boolean);
    } catch {
      return [];
    }
  }).sort();
}

function clearLogs(): void {
  for (const host of hosts) rmSync(join(host.home, HANDLER_LOG), { force: true });
}

interface Case {
  playbook: string;
  /** ansible-playbook's (and fleet's) flags. */
  args?: string[];
  env?: Record<string, string>;
  /** Written as ansible.cfg in the directory both tools run from. */
  config?: string;
  /** Other files beside the playbook (roles), by relative path. */
  files?: Record<string, string>;
}

/** The test's environment without any force_handlers setting of its own, plus the case's. */
function environment(run: Case): NodeJS.ProcessEnv {
  const env = { ...process.env, ...run.env };
  if (!run.env?.ANSIBLE_FORCE_HANDLERS) delete env.ANSIBLE_FORCE_HANDLERS;
  return env;
}

function caseDir(run: Case): string {
  const cwd = mkdtempSync(join(dir, 'case-'));
  writeFileSync(join(cwd, 'site.yml'), run.playbook);
  if (run.config) writeFileSync(join(cwd, 'ansible.cfg'), run.config);
  for (const [path, text] of Object.entries(run.files ?? {})) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), text);
  }
  return cwd;
}

function ansible(run: Case): Outcome {
  clearLogs();
  const cwd = caseDir(run);
  const result = spawnSync('ansible-playbook', ['-i', inventory, ...(run.args ?? []), 'site.yml'], {
    cwd,
    encoding: 'utf8',
    env: { ...environment(run), ANSIBLE_NOCOLOR: '1' },
  });
  return { exitCode: result.status ?? -1, output: result.stdout, logged: logged() };
}

/** The flags of `args` as commander gives them to applyOptionsFrom. */
function flagsOf(args: string[]): ApplyFlags {
  const flags: ApplyFlags = { inventory: [inventory], tags: [], skipTags: [], extraVars: [], verbose: 0 };
  for (let i = 0; i < args.length; i += 1) {
    if (args[i] === '--force-handlers') flags.forceHandlers = true;
    else if (args[i] === '-e') flags.extraVars.push(args[++i] as string);
    else throw new Error(`flag ${args[i]} is not known to this test`);
  }
  return flags;
}

async function fleet(run: Case): Promise<Outcome> {
  clearLogs();
  const cwd = caseDir(run);
  const options = applyOptionsFrom([join(cwd, 'site.yml')], flagsOf(run.args ?? []), environment(run), cwd);
  let output = '';
  const sink = new DefaultTextSink({ write: (text) => (output += text), writeError: () => {}, color: false, verbosity: 0, terminalWidth: 0 });
  const result = await applyPlaybooks(options, sink);
  return { exitCode: result.exitCode, output, logged: logged() };
}

async function bothTools(run: Case): Promise<{ ansible: Outcome; fleet: Outcome }> {
  const expected = ansible(run);
  const actual = await fleet(run);
  expect(sortedSections(actual.output)).toEqual(sortedSections(expected.output));
  expect(recap(actual.output)).toEqual(recap(expected.output));
  expect(actual.exitCode).toBe(expected.exitCode);
  expect(actual.logged).toEqual(expected.logged);
  return { ansible: expected, fleet: actual };
}

beforeAll(() => {
  hosts = ensureSandbox(29).filter((host) => host.name === 'h28' || host.name === 'h29');
  dir = mkdtempSync(join(tmpdir(), 'fleet-handlers-'));
  inventory = join(dir, 'inventory.yml');
  const entries = hosts.map((host) => `    ${host.name}:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n`).join('');
  writeFileSync(
    inventory,
    `all:\n  hosts:\n${entries}  vars:\n    ansible_ssh_private_key_file: ${(hosts[0] as SandboxHost).keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
  );
});
afterAll(() => {
  clearLogs();
  rmSync(dir, { recursive: true, force: true });
});

describe('force_handlers, against ansible-playbook', () => {
  it('without it, the host that failed runs no handler and the other runs its own', async () => {
    const { fleet: run } = await bothTools({ playbook: playbook() });
    expect(run.logged).toEqual(['h29']);
    expect(run.exitCode).toBe(2);
  });

  it('--force-handlers runs the failed host\'s notified handlers, but none of its later tasks', async () => {
    const { fleet: run } = await bothTools({ playbook: playbook(), args: ['--force-handlers'] });
    expect(run.logged).toEqual(['h28', 'h29']);
    expect(run.output).not.toContain('CALLED_TASK_h28');
    expect(run.output).not.toContain('POST_h28');
  });

  it('--force-handlers keeps any_errors_fatal: the flush waiting in an always does not spare the other host (PlayIterator.is_failed)', async () => {
    const { fleet: run } = await bothTools({
      playbook: `- hosts: all\n  gather_facts: false\n  any_errors_fatal: true\n  tasks:\n    - name: EXPECTED FAILURE on h28\n      fail:\n        msg: boom\n      when: inventory_hostname == 'h28'\n    - name: never reached\n      shell: echo "{{ inventory_hostname }}" >> "$HOME/${HANDLER_LOG}"\n`,
      args: ['--force-handlers'],
    });
    expect(run.logged).toEqual([]);
  });

  it('--force-handlers: a host that failed leaves ansible_play_hosts at once, though its flush is still to run (Play._removed_hosts)', async () => {
    const { fleet: run } = await bothTools({
      playbook: `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: EXPECTED FAILURE on h28\n      fail:\n        msg: boom\n      when: inventory_hostname == 'h28'\n    - name: the play's hosts\n      shell: echo "{{ ansible_play_hosts | join('+') }}" >> "$HOME/${HANDLER_LOG}"\n`,
      args: ['--force-handlers'],
    });
    expect(run.logged).toEqual(['h29']);
  });

  it('--force-handlers runs the handlers even when every host failed', async () => {
    const { fleet: run } = await bothTools({ playbook: playbook(), args: ['--force-handlers', '-e', 'fail_all=yes'] });
    expect(run.logged).toEqual(['h28', 'h29']);
  });

  it('ANSIBLE_FORCE_HANDLERS and ansible.cfg force_handlers turn it on', async () => {
    expect((await bothTools({ playbook: playbook(), env: { ANSIBLE_FORCE_HANDLERS: 'true' } })).fleet.logged).toEqual(['h28', 'h29']);
    expect((await bothTools({ playbook: playbook(), config: '[defaults]\nforce_handlers = True\n' })).fleet.logged).toEqual(['h28', 'h29']);
  });

  it('the play keyword turns it on, and force_handlers: false beats --force-handlers', async () => {
    expect((await bothTools({ playbook: playbook(true) })).fleet.logged).toEqual(['h28', 'h29']);
    expect((await bothTools({ playbook: playbook(false), args: ['--force-handlers'] })).fleet.logged).toEqual(['h29']);
  });

  it('a handler that fails under any_errors_fatal ends the play for every host', async () => {
    const { fleet: run } = await bothTools({ playbook: FATAL_HANDLER });
    expect(run.logged).toEqual([]);
    expect(run.output).toContain('NO MORE HOSTS LEFT');
  });
});

/** Ansible's handlers target in small: what a notification reaches and when a handler runs. */
describe('notifications and handler runs, against ansible-playbook', () => {
  it('notify templated to a list reaches each name; the last-loaded handler of a name (an included role\'s) wins', async () => {
    const { fleet: run } = await bothTools({
      playbook: `- hosts: all
  gather_facts: false
  vars:
    names: [first, second]
  tasks:
    - command: "true"
      changed_when: true
      notify: "{{ names }}"
    - meta: flush_handlers
    - include_role:
        name: later
  handlers:
    - name: first
      debug:
        msg: play first
    - name: second
      debug:
        msg: play second
    - name: shared
      debug:
        msg: play shared
`,
      files: {
        'roles/later/tasks/main.yml': `- command: "true"
  changed_when: true
  notify: shared
`,
        'roles/later/handlers/main.yml': `- name: shared
  shell: echo "{{ inventory_hostname }}" >> "$HOME/${HANDLER_LOG}"
`,
      },
    });
    expect(run.logged).toEqual(['h28', 'h29']);
    expect(run.output).not.toContain('play shared');
  });

  it('a handler failing in an explicit flush is rescued by the enclosing block', async () => {
    const { fleet: run } = await bothTools({
      playbook: `- hosts: all
  gather_facts: false
  tasks:
    - block:
        - command: "true"
          changed_when: true
          notify: sometimes fails
        - meta: flush_handlers
      rescue:
        - shell: echo "{{ inventory_hostname }}" >> "$HOME/${HANDLER_LOG}"
  handlers:
    - name: sometimes fails
      fail:
        msg: handler failed
      when: inventory_hostname == 'h28'
`,
    });
    expect(run.logged).toEqual(['h28']);
    expect(run.exitCode).toBe(0);
  });

  it('a handler notifying itself runs once; handlers notifying each other run again at the next flush', async () => {
    await bothTools({
      playbook: `- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      changed_when: true
      notify: [one, self]
  handlers:
    - name: one
      debug:
        msg: one ran
      changed_when: true
      notify: two
    - name: two
      debug:
        msg: two ran
      changed_when: true
      notify: one
    - name: self
      debug:
        msg: self ran
      changed_when: true
      notify: self
    - name: meta handler
      meta: noop
      listen: one
`,
    });
  });

  it('a handler whose name needs an undefined variable is skipped; a missing handler only warns when error_on_missing_handler is off', async () => {
    const { fleet: run } = await bothTools({
      playbook: `- hosts: all
  gather_facts: false
  tasks:
    - command: "true"
      changed_when: true
      notify: [plain, nowhere]
  handlers:
    - name: "with {{ undefined_var }}"
      debug:
        msg: never
    - name: plain
      shell: echo "{{ inventory_hostname }}" >> "$HOME/${HANDLER_LOG}"
`,
      env: { ANSIBLE_ERROR_ON_MISSING_HANDLER: 'false' },
    });
    expect(run.logged).toEqual(['h28', 'h29']);
  });
});
