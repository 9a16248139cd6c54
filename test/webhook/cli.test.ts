import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseListen } from '../../src/cli/webhook.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { commitId, deliver, pushPayload, REPO, SECRET, send } from './support.js';

function serverDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-webhook-cli-'));
  writeFileSync(join(dir, 'deploy.sh'), `#!/bin/sh\necho "$FLEET_DEPLOY_COMMIT" >> '${join(dir, 'deployed.txt')}'\n`);
  chmodSync(join(dir, 'deploy.sh'), 0o755);
  writeFileSync(join(dir, 'webhook.yml'), `allowed_repos: [${REPO}]\nallowed_events: [push]\nallowed_branches: [main]\nrequire_signature: true\ndeploy_script: ./deploy.sh\ndatabase: state/webhook.sqlite\n`);
  return dir;
}

describe('fleet webhook serve (the command)', () => {
  it('serves on the address given, deploys, and stops cleanly on SIGTERM', async () => {
    const dir = serverDir();
    const child = spawn(join(fleetBinDir(), 'fleet'), ['webhook', 'serve', '--listen', '127.0.0.1:0', '--config', 'webhook.yml'], { cwd: dir, env: { ...process.env, GITEA_WEBHOOK_SECRET: SECRET } });
    let output = '';
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on 127\.0\.0\.1:(\d+)/.exec(output);
        if (match) resolve(Number(match[1]));
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', () => reject(new Error(`exited early: ${output}`)));
    });
    expect((await send(port, 'GET', '/healthz')).status).toBe(200);
    expect((await deliver(port, { body: JSON.stringify(pushPayload(commitId(42))) })).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, output).toBe(0);
    expect(readFileSync(join(dir, 'deployed.txt'), 'utf8')).toBe(`${commitId(42)}\n`);
    expect(output).toContain('SIGTERM: finishing the running deploy, then stopping');
    expect(output).not.toContain(SECRET);
  });

  it('refuses to start without GITEA_WEBHOOK_SECRET when signatures are required', async () => {
    const dir = serverDir();
    const env = { ...process.env };
    delete env.GITEA_WEBHOOK_SECRET;
    const child = spawn(join(fleetBinDir(), 'fleet'), ['webhook', 'serve', '--listen', '127.0.0.1:0', '--config', 'webhook.yml'], { cwd: dir, env });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toContain('require_signature is true but GITEA_WEBHOOK_SECRET is not set');
  });

  it('reads --listen as HOST:PORT or [IPv6]:PORT', () => {
    expect(parseListen('127.0.0.1:9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseListen('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parseListen('9000')).toThrow(/--listen must be HOST:PORT/);
    expect(() => parseListen('localhost:99999')).toThrow(/--listen must be HOST:PORT/);
  });
});
