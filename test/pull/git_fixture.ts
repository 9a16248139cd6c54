/** A local bare git repo holding a tiny fleet (inventory of sandbox hosts h14–h15, one playbook), and helpers to commit to it. */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

export const PULL_HOSTS = ['h14', 'h15'];

export const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Fleet Test',
  GIT_AUTHOR_EMAIL: 'fleet-test@example.invalid',
  GIT_COMMITTER_NAME: 'Fleet Test',
  GIT_COMMITTER_EMAIL: 'fleet-test@example.invalid',
  // The sandbox users read repositories root made; git would call them dubiously owned.
  GIT_CONFIG_COUNT: '1',
  GIT_CONFIG_KEY_0: 'safe.directory',
  GIT_CONFIG_VALUE_0: '*',
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

/** The playbook writes `release <n>` into deployed.txt in each host's home. */
export function sitePlaybook(release: string, extraTask = ''): string {
  return `- hosts: all\n  gather_facts: false\n  tasks:\n    - name: release file\n      copy:\n        content: "release ${release}\\n"\n        dest: "{{ deploy_file }}"\n        mode: "0644"\n${extraTask}`;
}

/**
 * The inventory names h14 and h15 with their ssh settings, as the fleet's inventory names
 * its wizards; `fleet pull` on a host uses it with --limit <its name>.
 */
export function inventory(hosts: SandboxHost[]): string {
  const entries = hosts.map((host) => `    ${host.name}:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n      deploy_file: ${host.home}/deployed.txt\n`).join('');
  const first = hosts[0] as SandboxHost;
  return `all:\n  hosts:\n${entries}  vars:\n    ansible_ssh_private_key_file: ${first.keyFile}\n    ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n`;
}

export function createFleetRepo(): FleetRepo {
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
  commit({ 'inventory/hosts.yml': inventory(hosts), 'playbooks/site.yml': sitePlaybook('1') });
  execFileSync('chmod', ['-R', 'a+rX', root]);
  return { root, bare, work, hosts, commit };
}
