/**
 * Vaulted data during `fleet apply` on sandbox host h10: a group_vars file encrypted by
 * ansible-vault and a `!vault` value from ansible-vault encrypt_string reach the host as
 * plaintext, the plaintexts join the run's SecretRegistry, and the output shows them only
 * where ansible-playbook shows them too (a task that displays the value).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FleetError } from '../../src/errors.js';
import { fleetApply, hasAnsible, recap } from '../apply/support.js';
import { ensureSandbox, knownHostsFile, sandboxHost, type SandboxHost } from '../support/sandbox.js';

const DB_PASSWORD = 'db-pass-from-group-vars-7731';
const API_TOKEN = 'api-token-from-a-vault-value-5309';
const project = mkdtempSync(join(tmpdir(), 'fleet-vault-apply-'));
const passwordFile = join(project, 'vault-pass.txt');
const otherPasswordFile = join(project, 'other-pass.txt');
const wrongPasswordFile = join(project, 'wrong-pass.txt');
const inventory = join(project, 'inventory.yml');
const groupVarsFile = join(project, 'group_vars', 'all', 'vault.yml');
const site = join(project, 'site.yml');
// Away from the project's vaulted group_vars, so only its own !vault value needs a secret.
const otherDir = mkdtempSync(join(tmpdir(), 'fleet-vault-other-'));
const otherPassword = join(otherDir, 'other.yml');
const otherInventory = join(otherDir, 'inventory.yml');
let host: SandboxHost;
let secretsFile: string;

function ansibleVault(...args: string[]): string {
  return execFileSync('/usr/bin/ansible-vault', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `name: !vault |` made by ansible-vault encrypt_string, indented under a play's vars. */
function vaultedVar(name: string, value: string, ...secretArgs: string[]): string {
  return ansibleVault('encrypt_string', ...secretArgs, '--name', name, value)
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

beforeAll(() => {
  host = ensureSandbox(10)[9] as SandboxHost;
  expect(host).toEqual(sandboxHost('h10'));
  secretsFile = join(host.home, 'vault-test', 'secrets.txt');
  writeFileSync(passwordFile, 'apply-test-password\n');
  writeFileSync(otherPasswordFile, 'a-password-fleet-is-not-given\n');
  writeFileSync(wrongPasswordFile, 'not-the-password\n');
  writeFileSync(
    inventory,
    `all:\n  hosts:\n    h10:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n` +
      `  vars:\n    ansible_ssh_private_key_file: ${host.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n    ansible_python_interpreter: /usr/bin/python3\n`,
  );
  copyFileSync(inventory, otherInventory);
  mkdirSync(join(project, 'group_vars', 'all'), { recursive: true });
  writeFileSync(groupVarsFile, `vault_db_password: ${DB_PASSWORD}\n`);
  ansibleVault('encrypt', '--vault-password-file', passwordFile, groupVarsFile);
  writeFileSync(
    site,
    `- hosts: all\n  gather_facts: false\n  vars:\n${vaultedVar('api_token', API_TOKEN, '--vault-id', `prod@${passwordFile}`)}\n  tasks:\n` +
      `    - name: the directory\n      file:\n        path: ${join(host.home, 'vault-test')}\n        state: directory\n` +
      `    - name: write the secrets\n      copy:\n        dest: ${secretsFile}\n        content: "db={{ vault_db_password }}\\ntoken={{ api_token }}\\n"\n        mode: "0600"\n` +
      `    - name: the value is vaulted\n      debug:\n        msg: "{{ api_token is vault_encrypted }} {{ api_token | length }} {{ api_token | type_debug }}"\n` +
      `    - name: a task that displays the value\n      debug:\n        var: api_token\n`,
  );
  writeFileSync(
    otherPassword,
    `- hosts: all\n  gather_facts: false\n  vars:\n${vaultedVar('other_token', 'other', '--vault-password-file', otherPasswordFile)}\n  tasks:\n    - name: use it\n      debug:\n        msg: "{{ other_token }}"\n`,
  );
});

function ansiblePlaybook(playbook: string, ...args: string[]): string {
  return execFileSync('ansible-playbook', ['-i', playbook === otherPassword ? otherInventory : inventory, playbook, ...args], { encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
}

/** The block of output one task printed, from its TASK banner to the next blank line. */
function taskBlock(output: string, name: string): string {
  const start = output.indexOf(`TASK [${name}]`);
  expect(start, `no TASK [${name}] in:\n${output}`).toBeGreaterThanOrEqual(0);
  return output.slice(start, output.indexOf('\n\n', start));
}

describe('fleet apply with a vault password file', () => {
  it('writes the plaintexts on the host, registers them as secrets, and prints only what a task displays', async () => {
    rmSync(join(host.home, 'vault-test'), { recursive: true, force: true });
    const run = await fleetApply({ inventory: [inventory], playbook: site, vaultPasswordFile: passwordFile });
    expect(run.exitCode, run.output).toBe(0);
    expect(readFileSync(secretsFile, 'utf8')).toBe(`db=${DB_PASSWORD}\ntoken=${API_TOKEN}\n`);
    expect(run.secrets.has(DB_PASSWORD)).toBe(true);
    expect(run.secrets.has(API_TOKEN)).toBe(true);
    expect(run.output).not.toContain(DB_PASSWORD);
    expect(taskBlock(run.output, 'write the secrets')).not.toContain(API_TOKEN);
    expect(taskBlock(run.output, 'the value is vaulted')).toContain(`"msg": "True ${API_TOKEN.length} AnsibleVaultEncryptedUnicode"`);
    expect(taskBlock(run.output, 'a task that displays the value')).toContain(`"api_token": "${API_TOKEN}"`);
    const again = await fleetApply({ inventory: [inventory], playbook: site, vaultPasswordFile: passwordFile });
    expect(recap(again.output).get('h10')).toMatchObject({ ok: 4, changed: 0, failed: 0 });
  }, 120_000);

  it.skipIf(!hasAnsible())('prints what ansible-playbook prints for the tasks that display vaulted values', async () => {
    const ansible = ansiblePlaybook(site, '--vault-password-file', passwordFile);
    const run = await fleetApply({ inventory: [inventory], playbook: site, vaultPasswordFile: passwordFile });
    for (const task of ['write the secrets', 'the value is vaulted', 'a task that displays the value']) {
      expect(taskBlock(run.output, task)).toBe(taskBlock(ansible, task));
    }
    expect(ansible).not.toContain(DB_PASSWORD);
  }, 120_000);
});

describe('fleet apply without the right password', () => {
  it('a vaulted vars file and no password fails before the host is touched, naming the file', async () => {
    rmSync(join(host.home, 'vault-test'), { recursive: true, force: true });
    const failure = await fleetApply({ inventory: [inventory], playbook: site }).catch((error: unknown) => error);
    // The fleet pre-flight may gather it with other problems; either way it is located.
    expect(failure).toBeInstanceOf(FleetError);
    expect((failure as FleetError).format()).toContain(`${groupVarsFile}:1:1: Attempting to decrypt but no vault secrets found`);
    expect(existsSync(join(host.home, 'vault-test'))).toBe(false);
  }, 60_000);

  it('a wrong password names the file it cannot decrypt', async () => {
    const failure = await fleetApply({ inventory: [inventory], playbook: site, vaultPasswordFile: wrongPasswordFile }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FleetError);
    expect((failure as FleetError).format()).toContain(`${groupVarsFile}:1:1: Decryption failed (no vault secrets were found that could decrypt) on ${groupVarsFile}`);
  }, 60_000);

  it('a !vault value no secret decrypts fails the task that uses it, naming file:line:col', async () => {
    const run = await fleetApply({ inventory: [otherInventory], playbook: otherPassword, vaultPasswordFile: passwordFile });
    expect(run.exitCode).toBe(2);
    expect(run.output).toContain(`"msg": "${otherPassword}:4:25: Decryption failed (no vault secrets were found that could decrypt)"`);
  }, 60_000);

  it.skipIf(!hasAnsible())('a !vault value with no vault secrets at all fails its task with Ansible’s message', async () => {
    const run = await fleetApply({ inventory: [otherInventory], playbook: otherPassword });
    expect(run.exitCode).toBe(2);
    const ansible = (() => {
      try {
        return ansiblePlaybook(otherPassword);
      } catch (error) {
        return (error as { stdout: string }).stdout;
      }
    })();
    expect(taskBlock(run.output, 'use it')).toBe(taskBlock(ansible, 'use it'));
  }, 120_000);
});
