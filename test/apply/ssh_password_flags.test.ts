import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { fleetProgram } from '../support/fleet_cli.js';
import { BECOME_WHO_PLAYBOOK } from './become_who_playbook.js';

/**
 * ansible-playbook's password flags: --connection-password-file (--conn-pass-file), -k,
 * --become-password-file (--become-pass-file); and --ssh-common-args / --ssh-extra-args. h51's user has the password fleet-become-h51,
 * which its sudo asks for to run as nobody (scripts/sandbox-hosts.sh). The sandbox sshd takes
 * keys only, so this file starts one more sshd of its own on h51's address, port 2223, that
 * takes only that password. ansible-playbook logs in with passwords through sshpass, which this
 * machine lacks: the connection password is proven against sshd, the become password and the
 * files' errors against ansible-playbook too.
 */

const PASSWORD = 'fleet-become-h51';
const PASSWORD_PORT = 2223;

let dir: string;
let host: SandboxHost;
let sshd: ChildProcess;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function inventory(name: string, connection: string): string {
  const path = join(dir, name);
  writeFileSync(path, `all:\n  hosts:\n    h51:\n      ansible_host: ${host.address}\n      ansible_user: ${host.user}\n      ansible_python_interpreter: /usr/bin/python3\n${connection}`);
  return path;
}

/** Both tools at once (an ansible-playbook start costs a second). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1', ANSIBLE_PIPELINING: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function fleet(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const [node, fleetArgs] = fleetProgram(['apply', ...args]);
  return run(node, fleetArgs, env);
}

function ledgerText(ledger: string): string {
  return ['', '-wal'].map((suffix) => (existsSync(`${ledger}${suffix}`) ? readFileSync(`${ledger}${suffix}`).toString('latin1') : '')).join('');
}

describe('password and ssh-args flags (h51, and a password-only sshd on its address)', () => {
  let keyInventory: string;
  let passwordInventory: string;

  beforeAll(async () => {
    host = ensureSandbox(51).find((each) => each.name === 'h51') as SandboxHost;
    dir = mkdtempSync(join(tmpdir(), 'fleet-password-flags-'));
    writeFileSync(join(dir, 'site.yml'), BECOME_WHO_PLAYBOOK);
    writeFileSync(join(dir, 'password'), `${PASSWORD}\n`);
    writeFileSync(join(dir, 'password.sh'), `#!/bin/sh\necho '${PASSWORD}'\n`, { mode: 0o755 });
    writeFileSync(join(dir, 'failing.sh'), '#!/bin/sh\necho "no vault here" >&2\nexit 3\n', { mode: 0o755 });
    keyInventory = inventory('keys.yml', `      ansible_port: ${host.port}\n      ansible_ssh_private_key_file: ${host.keyFile}\n      ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n`);
    const hostKey = readFileSync(host.hostKeyPub, 'utf8').split(' ').slice(0, 2).join(' ');
    writeFileSync(join(dir, 'known_hosts'), `[${host.address}]:${PASSWORD_PORT} ${hostKey}\n`);
    passwordInventory = inventory('password.yml', `      ansible_port: ${PASSWORD_PORT}\n      ansible_ssh_common_args: -o UserKnownHostsFile=${join(dir, 'known_hosts')} -o StrictHostKeyChecking=yes\n`);
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `ListenAddress ${host.address}:${PASSWORD_PORT}`,
        `HostKey ${host.hostKeyPub.replace(/\.pub$/, '')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AllowUsers ${host.user}`,
        'AuthenticationMethods password',
        'PasswordAuthentication yes',
        'PubkeyAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'UseDNS no',
        '',
      ].join('\n'),
    );
    sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    // Listening once it logs so (-e: the log goes to stderr).
    await new Promise<void>((resolve, reject) => {
      let log = '';
      sshd.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
        if (log.includes('Server listening')) resolve();
      });
      sshd.on('exit', (code) => reject(new Error(`sshd exited ${code}: ${log}`)));
    });
  });
  afterAll(() => {
    sshd?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--conn-pass-file logs in with the password, --become-password-file (a script) gives sudo its output; neither shows or is recorded', async () => {
    const ledger = join(dir, 'history.db');
    const result = await fleet(['-i', passwordInventory, 'site.yml', '--conn-pass-file', 'password', '--become-password-file', 'password.sh'], { FLEET_HISTORY_DB: ledger, SSH_AUTH_SOCK: '' });
    expect(result.stdout).toContain('"who.stdout": "nobody"');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain(PASSWORD);
    expect(ledgerText(ledger)).toContain('who');
    expect(ledgerText(ledger)).not.toContain(PASSWORD);
  });

  it('--connection-password-file loses to the host’s ansible_password, as the ssh plugin ranks them', async () => {
    const result = await fleet(['-i', passwordInventory, 'site.yml', '--connection-password-file', 'password', '--become-pass-file', 'password', '-e', 'ansible_password=not-it'], { SSH_AUTH_SOCK: '' });
    expect(result.status).toBe(4);
    expect(result.stdout).toContain('UNREACHABLE!');
  });

  it('-k asks "SSH password: " on the terminal, then -K "BECOME password[defaults to SSH password]: ", whose empty answer is the SSH password', async () => {
    const [node, [entry]] = fleetProgram([]);
    const command = `'${node}' '${entry}' apply -k -K -i '${passwordInventory}' site.yml`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', SSH_AUTH_SOCK: '' } });
    let output = '';
    const answered: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (answered.length === 0 && output.includes('SSH password: ')) answered.push(`${PASSWORD}\r`);
      else if (answered.length === 1 && output.includes('BECOME password[defaults to SSH password]: ')) answered.push('\r');
      else return;
      child.stdin.write(answered.at(-1));
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(answered).toHaveLength(2);
    expect(output).toContain('"who.stdout": "nobody"');
    expect(output).not.toContain(PASSWORD);
    expect(exitCode).toBe(0);
  });

  it('-k (here ANSIBLE_ASK_PASS, its default) and -K without a terminal and with stdin at its end go on without passwords, as ansible-playbook does (getpass’s EOFError)', async () => {
    writeFileSync(join(dir, 'local.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - debug:\n        msg: no password needed\n');
    // setsid: no controlling terminal, so both read the answers from stdin (/dev/null).
    const [node, fleetArgs] = fleetProgram(['apply', '-K', 'local.yml']);
    const env = { ANSIBLE_ASK_PASS: 'true' };
    const [theirs, ours] = await Promise.all([run('setsid', ['-w', 'ansible-playbook', '-K', 'local.yml'], env), run('setsid', ['-w', node, ...fleetArgs], env)]);
    expect(theirs.status, theirs.stderr).toBe(0);
    expect(ours.status, ours.stderr).toBe(0);
    expect(ours.stdout).toContain('"msg": "no password needed"');
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stderr).toContain('SSH password: ');
    expect(ours.stderr).not.toContain('BECOME password');
  });

  it('--ssh-common-args and --ssh-extra-args reach the connection, beat ANSIBLE_SSH_*_ARGS and lose to the host’s ansible_ssh_common_args', async () => {
    // The host sets no ansible_ssh_common_args: without a flag its key is checked against ~/.ssh/known_hosts, which lacks it.
    const bare = inventory('bare.yml', `      ansible_port: ${host.port}\n      ansible_ssh_private_key_file: ${host.keyFile}\n`);
    const knownHosts = `-o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes`;
    const nowhere = `-o UserKnownHostsFile=${join(dir, 'none')}`;
    const runs = await Promise.all([
      fleet(['-i', bare, 'site.yml', '--become-pass-file', 'password', '--ssh-common-args', knownHosts]),
      fleet(['-i', bare, 'site.yml', '--become-pass-file', 'password', `--ssh-extra-args=${knownHosts}`]),
      // keys.yml's ansible_ssh_common_args names the sandbox's known_hosts; the flag's file does not exist.
      fleet(['-i', keyInventory, 'site.yml', '--become-pass-file', 'password', '--ssh-common-args', nowhere]),
      // The setting when no flag is given; the flag beats it (ansible-playbook -vvv: the flag's options, not the variable's).
      fleet(['-i', bare, 'site.yml', '--become-pass-file', 'password'], { ANSIBLE_SSH_EXTRA_ARGS: knownHosts }),
      fleet(['-i', bare, 'site.yml', '--become-pass-file', 'password', '--ssh-common-args', knownHosts], { ANSIBLE_SSH_COMMON_ARGS: nowhere }),
    ]);
    for (const result of runs) {
      expect(result.stdout).toContain('"who.stdout": "nobody"');
      expect(result.status, result.stderr).toBe(0);
    }
  });

  it('--become-password-file as ansible-playbook reads it: a script’s output, and the same errors for a missing or failing file; ANSIBLE_BECOME_PASSWORD_FILE as its default', async () => {
    const cases: Array<[string[], NodeJS.ProcessEnv]> = ['password.sh', 'missing', 'failing.sh'].map((file) => [['-i', keyInventory, 'site.yml', '--become-password-file', file], {}]);
    // BECOME_PASSWORD_FILE is the flag's default, relative to the current directory when set in the environment.
    cases.push([['-i', keyInventory, 'site.yml'], { ANSIBLE_BECOME_PASSWORD_FILE: 'password' }]);
    const runs = await Promise.all(cases.map(async ([args, env]) => [await run('ansible-playbook', args, env), await fleet(args, env)] as const));
    for (const ok of [runs[0]?.[0], runs[3]?.[0]]) expect(ok?.stdout).toContain('"who.stdout": "nobody"');
    for (const [theirs, ours] of runs) {
      expect(ours.status, ours.stderr).toBe(theirs.status);
      expect(ours.stdout).toBe(theirs.stdout);
      expect(ours.stderr).toBe(theirs.stderr);
    }
    expect(runs[2]?.[1].stderr).toBe(`ERROR! The password script ${join(dir, 'failing.sh')} returned an error (rc=3): b'no vault here\\n'\n`);
  });
});
