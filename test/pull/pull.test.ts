import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { knownHostsFile, repoRoot, type SandboxHost } from '../support/sandbox.js';
import { createFleetRepo, git, gitEnv, sitePlaybook, TRUST_REPO, type FleetRepo } from './git_fixture.js';

const PULLED = 'pulled.txt';
let repo: FleetRepo;
let bin: string;
let h14: SandboxHost;

interface Run {
  status: number | null;
  output: string;
}

/** Runs a command as the sandbox host's user over ssh, as cron or an operator would on a wizard. */
function onHost(host: SandboxHost, command: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('ssh', ['-i', host.keyFile, '-p', String(host.port), '-o', `UserKnownHostsFile=${knownHostsFile()}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${host.user}@${host.address}`, command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => resolve({ status, output }));
  });
}


function pull(host: SandboxHost, args: string): Promise<Run> {
  return onHost(host, `${TRUST_REPO} ${bin}/fleet pull --url '${repo.bare}' --limit ${host.name} ${args}`);
}

const pulled = (host: SandboxHost) => (existsSync(join(host.home, PULLED)) ? readFileSync(join(host.home, PULLED), 'utf8') : undefined);
const defaultCheckout = (host: SandboxHost) => join(host.home, '.fleet', 'pull', 'HOSTNAME');

beforeAll(() => {
  repo = createFleetRepo(PULLED);
  bin = fleetBinDir();
  h14 = repo.hosts.find((host) => host.name === 'h14') as SandboxHost;
  for (const host of repo.hosts) {
    rmSync(join(host.home, PULLED), { force: true });
    for (const left of ['.fleet', 'pinned', 'pinned.lock', 'deploy-pull', 'deploy-pull.lock']) rmSync(join(host.home, left), { recursive: true, force: true });
  }
});

describe('fleet pull', () => {
  it('clones the repository and converges only this host over the local connection', async () => {
    const run = await pull(h14, '');
    expect(run.status, run.output).toBe(0);
    expect(run.output).toMatch(/h14\s+: ok=1\s+changed=1/);
    expect(pulled(h14)).toBe('release 1\n');
    // h15 is in the same inventory but is not this machine.
    expect(pulled(repo.hosts.find((host) => host.name === 'h15') as SandboxHost)).toBeUndefined();
    const checkout = defaultCheckout(h14).replace('HOSTNAME', spawnSync('hostname', { encoding: 'utf8' }).stdout.trim());
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(git(repo.work, 'rev-parse', 'HEAD'));
  });

  it('with --only-if-changed does nothing for an applied commit and converges a new one', async () => {
    writeFileSync(join(h14.home, PULLED), 'edited by hand\n');
    const same = await pull(h14, '--only-if-changed');
    expect(same.status, same.output).toBe(0);
    expect(same.output).toContain('is already applied; nothing to do');
    expect(same.output).not.toContain('PLAY');
    expect(pulled(h14)).toBe('edited by hand\n');
    const v2 = repo.commit({ 'playbooks/site.yml': sitePlaybook('2') });
    const moved = await pull(h14, '-o');
    expect(moved.status, moved.output).toBe(0);
    expect(moved.output).toContain(`is at ${v2}`);
    expect(pulled(h14)).toBe('release 2\n');
  });

  it("runs in cron's bare environment (PATH=/usr/bin:/bin, no terminal), logging to a file", async () => {
    const v2b = repo.commit({ 'playbooks/site.yml': sitePlaybook('2b') });
    const cronLine = `env -i HOME="$HOME" PATH=/usr/bin:/bin ${TRUST_REPO} ${bin}/fleet pull -U '${repo.bare}' -o -s 1 --limit ${h14.name} >>"$HOME/pull-cron.log" 2>&1 </dev/null`;
    rmSync(join(h14.home, 'pull-cron.log'), { force: true });
    const run = await onHost(h14, cronLine);
    expect(run.status, readFileSync(join(h14.home, 'pull-cron.log'), 'utf8')).toBe(0);
    const log = readFileSync(join(h14.home, 'pull-cron.log'), 'utf8');
    expect(log).toMatch(/Sleeping for [01] seconds/);
    expect(log).toContain(`is at ${v2b}`);
    expect(log).not.toMatch(/\x1b\[/);
    expect(pulled(h14)).toBe('release 2b\n');
  });

  it('retries a commit whose run failed, even with --only-if-changed', async () => {
    const broken = repo.commit({ 'playbooks/site.yml': sitePlaybook('3', '    - name: broken step\n      command: /bin/false\n') });
    const failed = await pull(h14, '-o');
    expect(failed.status).toBe(2);
    expect(failed.output).toContain(`is at ${broken}`);
    const again = await pull(h14, '-o');
    expect(again.status).toBe(2);
    expect(again.output).toContain('broken step');
  });

  it('checks out a named commit, branch or tag with --checkout', async () => {
    const first = git(repo.work, 'rev-list', '--max-parents=0', 'HEAD');
    const run = await pull(h14, `--checkout ${first} --directory ~/pinned`);
    expect(run.status, run.output).toBe(0);
    expect(pulled(h14)).toBe('release 1\n');
    expect(git(join(h14.home, 'pinned'), 'rev-parse', 'HEAD')).toBe(first);
    git(repo.work, 'tag', 'good-release', 'HEAD~1');
    git(repo.work, 'push', '--quiet', 'origin', 'good-release');
    const release = /content: "(release \S+)\\n"/.exec(git(repo.work, 'show', 'good-release:playbooks/site.yml'))?.[1];
    expect((await pull(h14, '-C good-release -d ~/pinned')).status).toBe(0);
    expect(pulled(h14)).toBe(`${release}\n`);
  });

  it('refuses to update a checkout with local modifications unless --clean', async () => {
    const fixed = repo.commit({ 'playbooks/site.yml': sitePlaybook('4') });
    const playbook = join(h14.home, 'pinned', 'playbooks', 'site.yml');
    writeFileSync(playbook, `${readFileSync(playbook, 'utf8')}# local edit\n`);
    const refused = await pull(h14, '-d ~/pinned -C main');
    expect(refused.status).toBe(1);
    expect(refused.output).toContain('local modifications in');
    const cleaned = await pull(h14, '-d ~/pinned -C main --clean');
    expect(cleaned.status, cleaned.output).toBe(0);
    expect(git(join(h14.home, 'pinned'), 'rev-parse', 'HEAD')).toBe(fixed);
    expect(pulled(h14)).toBe('release 4\n');
  });

  it('does not run while another pull holds the lock, and takes over a stale lock', async () => {
    const lock = join(h14.home, 'pinned.lock');
    const holder = spawn('sleep', ['60']);
    try {
      writeFileSync(lock, `${holder.pid}\n`);
      const busy = await pull(h14, '-d ~/pinned -C main');
      expect(busy.status).toBe(1);
      expect(busy.output).toContain(`another fleet pull (pid ${holder.pid}) is running`);
    } finally {
      holder.kill();
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    rmSync(join(h14.home, PULLED));
    const stale = await pull(h14, '-d ~/pinned -C main');
    expect(stale.status, stale.output).toBe(0);
    expect(pulled(h14)).toBe('release 4\n');
    expect(existsSync(lock)).toBe(false);
  });
});

describe('scripts/deploy_on_webhook.sh --pull', () => {
  it('has every host run fleet pull of the deploy commit on itself', async () => {
    const checkout = join(repo.root, 'deploy-checkout');
    git(repo.root, 'clone', '--quiet', repo.bare, checkout);
    const v5 = repo.commit({ 'playbooks/site.yml': sitePlaybook('5') });
    const logFile = join(repo.root, 'deploy-pull.log');
    const result = spawnSync(join(repoRoot, 'scripts', 'deploy_on_webhook.sh'), ['--pull', v5], {
      env: {
        ...gitEnv,
        PATH: `${bin}:${process.env.PATH ?? ''}`,
        FLEET_DEPLOY_DIR: checkout,
        FLEET_DEPLOY_LOG: logFile,
        FLEET_DEPLOY_HOSTS: 'all',
        FLEET_PULL_COMMAND: `${TRUST_REPO} ${bin}/fleet`,
        // Relative: fleet pull resolves it in the ssh session's directory, the host user's home.
        FLEET_PULL_DIRECTORY: 'deploy-pull',
      },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(result.status, readFileSync(logFile, 'utf8')).toBe(0);
    for (const host of repo.hosts) {
      expect(pulled(host)).toBe('release 5\n');
      expect(git(join(host.home, 'deploy-pull'), 'rev-parse', 'HEAD')).toBe(v5);
    }
    expect(readFileSync(logFile, 'utf8')).toMatch(/h15\s+: ok=1\s+changed=1/);
  });
});
