import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import { DefaultTextSink } from '../../src/output/default_text.js';
import { renderPlaybooks } from '../../src/render/index.js';
import { renderText } from '../../src/render/format.js';
import { MASK } from '../../src/secrets/registry.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { recap, sortedSections } from './support.js';
import { fleetProgram } from '../support/fleet_cli.js';
import { BECOME_WHO_PLAYBOOK } from './become_who_playbook.js';

/**
 * Become with a password, against the real sudo: scripts/sandbox-hosts.sh gives each sandbox
 * user the password fleet-become-hN and a sudo rule that asks for it to run as nobody (root
 * stays NOPASSWD). Runs on h29, under ansible-playbook (pipelining, which unprivileged become
 * needs without ACLs) and fleet.
 */

const PASSWORD = 'fleet-become-h29';

/**
 * The sudo plugin's own variables (ansible_sudo_user, _flags, _exe, _pass) and the become_exe
 * keyword: each variable beats the keyword, and the plugin's last-listed variable
 * (ansible_sudo_*) beats ansible_become_*. The wrapper counts the times it stands in for sudo.
 */
const VARIABLES_PLAYBOOK = `- hosts: all
  gather_facts: false
  become: true
  tasks:
    - command: id -un
      vars: { ansible_sudo_user: daemon }
      register: r1
    - command: id -un
      become_user: bin
      vars: { ansible_sudo_user: daemon }
      register: r2
    - command: id -un
      vars: { ansible_sudo_user: daemon, ansible_become_user: bin }
      register: r3
    - command: id -gn
      vars: { ansible_sudo_flags: "-H -S -n -g daemon" }
      register: r4
    - command: id -gn
      become_flags: "-H -S -n -g bin"
      vars: { ansible_sudo_flags: "-H -S -n -g daemon", ansible_become_flags: "-H -S -n -g bin" }
      register: r5
    - command: id -un
      vars: { ansible_sudo_exe: "{{ wrapper }}" }
    - command: id -un
      become_exe: "{{ wrapper }}"
    - command: id -un
      become_user: nobody
      vars: { ansible_become_password: not-it, ansible_sudo_pass: "{{ password }}" }
      register: r6
    - command: cat "{{ wrapped }}"
      become: false
      register: w
    - debug: { msg: "{{ [r1.stdout, r2.stdout, r3.stdout, r4.stdout, r5.stdout, r6.stdout, w.stdout_lines | length] }}" }
`;

let dir: string;
let inventory: string;
let playbook: string;
let host: SandboxHost;

function ansible(extraVars: string[], book = playbook): { exitCode: number; output: string } {
  const args = ['-i', inventory, ...extraVars.flatMap((pair) => ['-e', pair]), book];
  const result = spawnSync('ansible-playbook', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_PIPELINING: '1' } });
  return { exitCode: result.status ?? -1, output: result.stdout };
}

async function fleet(extraVars: string[], book = playbook) {
  const options = applyOptionsFrom([book], { inventory: [inventory], tags: [], skipTags: [], extraVars, verbose: 0 }, process.env, dir);
  let output = '';
  const sink = new DefaultTextSink({ write: (text) => (output += text), writeError: (text) => (output += text), color: false, verbosity: 0, terminalWidth: 0 });
  const result = await applyPlaybooks(options, sink);
  return { exitCode: result.exitCode, output, secrets: options.secrets };
}

async function sameAsAnsible(extraVars: string[], book = playbook) {
  const expected = ansible(extraVars, book);
  const actual = await fleet(extraVars, book);
  expect(sortedSections(actual.output)).toEqual(sortedSections(expected.output));
  expect(recap(actual.output)).toEqual(recap(expected.output));
  expect(actual.exitCode).toBe(expected.exitCode);
  return actual;
}

describe('become with a password (real sudo on h29)', () => {
  beforeAll(() => {
    host = ensureSandbox(29).find((each) => each.name === 'h29') as SandboxHost;
    dir = mkdtempSync(join(tmpdir(), 'fleet-become-password-'));
    inventory = join(dir, 'inventory.yml');
    playbook = join(dir, 'site.yml');
    writeFileSync(playbook, BECOME_WHO_PLAYBOOK);
    writeFileSync(
      inventory,
      `all:\n  hosts:\n    h29:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails as "Missing sudo password" without one and "Incorrect sudo password" with a wrong one', async () => {
    expect((await sameAsAnsible([])).output).toContain('{"msg": "Missing sudo password"}');
    expect((await sameAsAnsible(['ansible_become_password=not-it'])).output).toContain('{"msg": "Incorrect sudo password"}');
  });

  it('ansible_become_password and ansible_become_pass reach sudo, and nothing prints the password', async () => {
    for (const name of ['ansible_become_password', 'ansible_become_pass']) {
      const run = await sameAsAnsible([`${name}=${PASSWORD}`]);
      expect(run.output).toContain('"who.stdout": "nobody"');
      expect(run.output).not.toContain(PASSWORD);
      expect(run.secrets.has(PASSWORD)).toBe(true);
    }
  });

  it('a password sudo does not ask for (NOPASSWD to root) is dropped, not run; ansible_become_user beats the keyword', async () => {
    const run = await sameAsAnsible([`ansible_become_password=${PASSWORD}`, 'ansible_become_user=root']);
    expect(run.output).toContain('"who.stdout": "root"');
    expect(run.output).not.toContain(PASSWORD);
  });

  it('the sudo plugin variables (ansible_sudo_user, _flags, _exe, _pass) and become_exe', async () => {
    const book = join(dir, 'variables.yml');
    writeFileSync(book, VARIABLES_PLAYBOOK);
    const wrapper = join(host.home, 'become-wrapper.sh');
    const wrapped = join(host.home, 'become-wrapped');
    writeFileSync(wrapper, `#!/bin/sh\necho x >> '${wrapped}'\nexec sudo "$@"\n`, { mode: 0o755 });
    // Each tool starts without the wrapper's count (a task removing it would be ok for one tool and changed for the next).
    const extraVars = [`wrapper=${wrapper}`, `wrapped=${wrapped}`, `password=${PASSWORD}`];
    rmSync(wrapped, { force: true });
    const expected = ansible(extraVars, book);
    rmSync(wrapped, { force: true });
    const run = await fleet(extraVars, book);
    expect(sortedSections(run.output)).toEqual(sortedSections(expected.output));
    expect(recap(run.output)).toEqual(recap(expected.output));
    expect(run.exitCode).toBe(expected.exitCode);
    expect(run.output).toContain(`"msg": [\n        "daemon",\n        "daemon",\n        "daemon",\n        "daemon",\n        "daemon",\n        "nobody",\n        2\n    ]`);
  });

  it('fleet render shows the script sudo gets with the password masked', async () => {
    const options = applyOptionsFrom([playbook], { inventory: [inventory], tags: [], skipTags: [], extraVars: [`ansible_become_password=${PASSWORD}`], verbose: 0 }, process.env, dir);
    const text = renderText(await renderPlaybooks(options));
    expect(text).toContain(`sudo -H -S -p '' -u nobody`);
    expect(text).toContain(`\n${MASK}\n`);
    expect(text).not.toContain(PASSWORD);
  });

  it('a password given with -e is masked in the history ledger, argv included', () => {
    const ledger = join(dir, 'history.db');
    const run = spawnSync(...fleetProgram(['apply', '-i', inventory, playbook, '-e', `ansible_become_password=${PASSWORD}`]), {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FLEET_HISTORY_DB: ledger, NO_COLOR: '1' },
    });
    expect(run.stdout).toContain('"who.stdout": "nobody"');
    const stored = ['', '-wal'].map((suffix) => (existsSync(`${ledger}${suffix}`) ? readFileSync(`${ledger}${suffix}`).toString('latin1') : '')).join('');
    expect(stored).toContain(`ansible_become_password=${MASK}`);
    expect(stored).not.toContain(PASSWORD);
  });

  it('-K asks "BECOME password: " on the terminal, without echo, and sudo gets the answer', async () => {
    const [node, [entry]] = fleetProgram([]);
    const command = `'${node}' '${entry}' apply -K -i '${inventory}' '${playbook}'`;
    // script(1) gives fleet a terminal of its own; the password is typed once the prompt shows.
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    let typed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (!typed && output.includes('BECOME password: ')) {
        typed = true;
        child.stdin.write(`${PASSWORD}\r`);
      }
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(typed).toBe(true);
    expect(output).toContain('"who.stdout": "nobody"');
    expect(output).not.toContain(PASSWORD);
    expect(exitCode).toBe(0);
  });
});
