/** A local bare git repo holding a tiny fleet (inventory of sandbox hosts h14–h15, one playbook), and helpers to commit to it. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

export const PULL_HOSTS = ['h14', 'h15'];

/**
 * The sandbox users read repositories root made, which git calls dubiously owned; a global
 * git config that trusts every directory, as sandbox/prepare.sh gives the sandbox wizards.
 */
const trustingConfig = join(mkdtempSync(join(tmpdir(), 'fleet-gitconfig-')), 'gitconfig');
writeFileSync(trustingConfig, '[safe]\n\tdirectory = *\n');
chmodSync(dirname(trustingConfig), 0o755);
chmodSync(trustingConfig, 0o644);

/** Prefix of a shell command run as a sandbox user that makes its git trust the test repos. */
export const TRUST_REPO = `GIT_CONFIG_GLOBAL='${trustingConfig}'`;

export const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Fleet Test',
  GIT_AUTHOR_EMAIL: 'fleet-test@example.invalid',
  GIT_COMMITTER_NAME: 'Fleet Test',
  GIT_COMMITTER_EMAIL: 'fleet-test@example.invalid',
  GIT_CONFIG_GLOBAL: trustingConfig,
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
}

export interface FleetRepo {
  /** World-readable temp dir holding everything below. */
  root: string;
  bare: string;
  /** The working clone tests commit in and push from. */
  work: string;
  hosts: SandboxHost[];
  /** Writes files (paths relative to the repo), commits, pushes to `branch`; returns the commit id. */
  commit(files: Record<string, string>, branch?: string): string;
}

/** The playbook writes `release <n>` into the host's deploy_file. */
export function sitePlaybook(release: string, extraTask = ''): string {
  return `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: release file\n      copy:\n        content: "release ${release}\\n"\n        dest: "{{ deploy_file }}"\n        mode: "0644"\n${extraTask}`;
}

/**
 * The inventory names h14 and h15 with their ssh settings, as the fleet's inventory names
 * its wizards; `fleet pull` on a host uses it with --limit <its name>.
 */
export function inventory(hosts: SandboxHost[], deployFile: string): string {
  const entries = hosts.map((host) => `    ${host.name}:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n      deploy_file: ${host.home}/${deployFile}\n`).join('');
  const first = hosts[0] as SandboxHost;
  return `all:\n  hosts:\n${entries}  vars:\n    ansible_ssh_private_key_file: ${first.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n`;
}

/** `deployFile` names the file the playbook writes in each host's home (test files that run at once use different ones). */
export function createFleetRepo(deployFile: string): FleetRepo {
  const hosts = ensureSandbox(15).filter((host) => PULL_HOSTS.includes(host.name));
  const root = mkdtempSync(join(tmpdir(), 'fleet-pull-repo-'));
  chmodSync(root, 0o755);
  const bare = join(root, 'origin.git');
  const work = join(root, 'work');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare], { env: gitEnv });
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', work], { env: gitEnv });
  git(work, 'remote', 'add', 'origin', bare);
  const commit = (files: Record<string, string>, branch = 'main') => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(work, path)), { recursive: true });
      writeFileSync(join(work, path), text);
    }
    git(work, 'add', '--all');
    git(work, 'commit', '--quiet', '-m', `change ${Object.keys(files).join(', ')}`);
    git(work, 'push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`);
    return git(work, 'rev-parse', 'HEAD');
  };
  commit({ 'inventory/hosts.yml': inventory(hosts, deployFile), 'playbooks/site.yml': sitePlaybook('1') });
  execFileSync('chmod', ['-R', 'a+rX', root]);
  return { root, bare, work, hosts, commit };
}
