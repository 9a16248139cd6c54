import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';
import { repoRoot } from '../support/sandbox.js';
import { createFleetRepo, git, gitEnv, sitePlaybook, type FleetRepo } from '../pull/git_fixture.js';
import { createWebhookServer } from '../../src/webhook/server.js';
import { deliver, pushPayload, REPO, SECRET } from './support.js';
import type { AddressInfo } from 'node:net';

const script = join(repoRoot, 'scripts', 'deploy_on_webhook.sh');

let repo: FleetRepo;
let checkout: string;
let bin: string;

interface ScriptRun {
  status: number | null;
  output: string;
  log: string;
}

function scriptEnv(logFile: string): NodeJS.ProcessEnv {
  return { ...gitEnv, PATH: `${bin}:${process.env.PATH ?? ''}`, FLEET_DEPLOY_DIR: checkout, FLEET_DEPLOY_LOG: logFile, ANSIBLE_TIMEOUT: '5' };
}

function runScript(args: string[], env: Record<string, string> = {}): Promise<ScriptRun> {
  const logFile = join(repo.root, 'deploy.log');
  rmSync(logFile, { force: true });
  return new Promise((resolve) => {
    const child = spawn(script, args, {
      env: { ...scriptEnv(logFile), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (status) => resolve({ status, output, log: existsSync(logFile) ? readFileSync(logFile, 'utf8') : '' }));
  });
}

const deployed = (index: number) => {
  const file = join((repo.hosts[index] as { home: string }).home, 'deployed.txt');
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
};

beforeAll(() => {
  repo = createFleetRepo('deployed.txt');
  for (const host of repo.hosts) rmSync(join(host.home, 'deployed.txt'), { force: true });
  checkout = join(repo.root, 'checkout');
  git(repo.root, 'clone', '--quiet', repo.bare, checkout);
  bin = fleetBinDir();
});

describe('scripts/deploy_on_webhook.sh', () => {
  it('is POSIX sh that shellcheck accepts', () => {
    const result = spawnSync('shellcheck', ['-s', 'sh', script], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('fetches the merged commit into the deploy checkout and converges the hosts with fleet apply', async () => {
    const v2 = repo.commit({ 'playbooks/site.yml': sitePlaybook('2') });
    const run = await runScript([], { FLEET_DEPLOY_COMMIT: v2, FLEET_DEPLOY_BRANCH: 'main' });
    expect(run.status, run.output).toBe(0);
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(v2);
    expect(deployed(0)).toBe('release 2\n');
    expect(deployed(1)).toBe('release 2\n');
    // The same text went to the caller and to the log file.
    expect(run.log).toContain('PLAY RECAP');
    expect(run.log).toContain(`deployed ${v2}`);
    expect(run.output).toBe(run.log);
  });

  it('deploys the branch tip when no commit is given, and a second run changes nothing', async () => {
    const v3 = repo.commit({ 'playbooks/site.yml': sitePlaybook('3') });
    const run = await runScript([]);
    expect(run.status, run.output).toBe(0);
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(v3);
    expect(deployed(0)).toBe('release 3\n');
    const again = await runScript([v3]);
    expect(again.status, again.output).toBe(0);
    expect(again.log).toMatch(/h14\s+: ok=1\s+changed=0/);
  });

  it('refuses a commit that is not on the branch or does not exist, touching nothing', async () => {
    const before = git(checkout, 'rev-parse', 'HEAD');
    const unmerged = repo.commit({ 'playbooks/site.yml': sitePlaybook('unmerged') }, 'feature');
    git(repo.work, 'reset', '--quiet', '--hard', 'origin/main');
    const offBranch = await runScript([unmerged]);
    expect(offBranch.status).toBe(1);
    expect(offBranch.log).toContain(`commit ${unmerged} is not on origin/main`);
    const missing = await runScript(['0123456789abcdef0123456789abcdef01234567']);
    expect(missing.status).toBe(1);
    expect(missing.log).toContain('not found after fetching origin');
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(before);
    expect(deployed(0)).toBe('release 3\n');
  });

  it('exits 1 when the remote cannot be fetched or local changes block the checkout', async () => {
    const unreachable = await runScript([], { FLEET_DEPLOY_REMOTE: join(repo.root, 'no-such-remote.git') });
    expect(unreachable.status).toBe(1);
    expect(unreachable.log).toContain('cannot fetch');
    const next = repo.commit({ 'playbooks/site.yml': sitePlaybook('3b') });
    const playbook = join(checkout, 'playbooks', 'site.yml');
    const original = readFileSync(playbook, 'utf8');
    writeFileSync(playbook, `${original}# edited on the controller\n`);
    try {
      const blocked = await runScript([next]);
      expect(blocked.status).toBe(1);
      expect(blocked.log).toContain(`cannot check out ${next}`);
      expect(readFileSync(playbook, 'utf8')).toContain('# edited on the controller');
    } finally {
      writeFileSync(playbook, original);
    }
  });

  it('exits non-zero when the converge fails, with fleet apply\'s report in the log', async () => {
    const failing = repo.commit({ 'playbooks/site.yml': sitePlaybook('4', '    - name: broken step\n      command: /bin/false\n') });
    const run = await runScript([failing]);
    expect(run.status).toBe(2);
    expect(run.log).toContain('broken step');
    expect(run.log).not.toContain(`deployed ${failing}`);
    // The lock went with the failed run: the fix deploys.
    const fixed = repo.commit({ 'playbooks/site.yml': sitePlaybook('5') });
    expect((await runScript([fixed])).status).toBe(0);
    expect(deployed(1)).toBe('release 5\n');
  });

  it('waits for nobody: a live deploy holding the lock makes it exit 75, a stale lock is taken over', async () => {
    const lock = join(checkout, '.fleet', 'deploy.lock');
    mkdirSync(lock, { recursive: true });
    const holder = spawn('sleep', ['30']);
    try {
      writeFileSync(join(lock, 'pid'), `${holder.pid}\n`);
      const busy = await runScript([]);
      expect(busy.status).toBe(75);
      expect(busy.log).toContain(`another deploy (pid ${holder.pid}) holds`);
    } finally {
      holder.kill();
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    const stale = await runScript([]);
    expect(stale.status, stale.output).toBe(0);
    expect(stale.log).toContain(`removing the stale lock of pid ${holder.pid}`);
    expect(existsSync(lock)).toBe(false);
  });

  it('runs from fleet webhook serve: a signed push deploys the commit to the hosts', async () => {
    const v6 = repo.commit({ 'playbooks/site.yml': sitePlaybook('6') });
    const logFile = join(repo.root, 'webhook-deploy.log');
    const webhook = createWebhookServer({
      config: { allowed_repos: [REPO], allowed_events: ['push'], allowed_branches: ['main'], require_signature: true, deploy_script: script, database: join(repo.root, 'webhook.sqlite') },
      secret: SECRET,
      env: scriptEnv(logFile),
      log: () => {},
    });
    await new Promise<void>((resolve) => webhook.server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (webhook.server.address() as AddressInfo).port;
      expect((await deliver(port, { body: JSON.stringify(pushPayload(v6)) })).status).toBe(202);
      await webhook.queue.idle();
      const [last] = webhook.store.recentDeploys(1);
      expect(last, readFileSync(logFile, 'utf8')).toMatchObject({ commit: v6, status: 'succeeded' });
    } finally {
      await webhook.close();
    }
    expect(git(checkout, 'rev-parse', 'HEAD')).toBe(v6);
    expect(deployed(0)).toBe('release 6\n');
    expect(deployed(1)).toBe('release 6\n');
  });
});
