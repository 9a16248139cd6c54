import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import type { ApplyOptions } from '../../src/executor/run_playbooks.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import type { OutgoingScript } from '../../src/executor/script_hook.js';
import { renderPlaybooks, type RenderResult } from '../../src/render/index.js';
import { renderJson, renderText } from '../../src/render/format.js';
import { RenderNotesSink } from '../../src/render/notes_sink.js';
import { MASK, SecretRegistry } from '../../src/secrets/registry.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

const fixtures = join(import.meta.dirname, 'fixtures');
const NO_LOG_SECRET = 'no-log-secret-4f1c9a';
const VAULT_VALUE = 'vaulted-password-77e2b0';

let host: SandboxHost;
let inventory: string;

/** Every entry under the host's home with its mode, size, mtime and content hash. */
function homeState(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      const content = stat.isFile() ? createHash('sha256').update(readFileSync(path)).digest('hex') : '';
      out.set(`${rel}${name}`, `${stat.mode.toString(8)} ${stat.size} ${stat.mtimeMs} ${content}`);
      if (stat.isDirectory()) walk(path, `${rel}${name}/`);
    }
  };
  walk(root, '');
  return out;
}

function options(scriptHook?: ApplyOptions['scriptHook'], playbook = 'render.yml', extraVars = [`no_log_secret=${NO_LOG_SECRET}`, `vault_password_value=${VAULT_VALUE}`]): ApplyOptions {
  const base = applyOptionsFrom(
    [join(fixtures, playbook)],
    { inventory: [inventory], tags: [], skipTags: [], verbose: 0, extraVars },
    { ...process.env, ANSIBLE_TIMEOUT: '5' },
    fixtures,
  );
  return scriptHook ? { ...base, scriptHook } : base;
}

function secrets(): SecretRegistry {
  const registry = new SecretRegistry();
  registry.add(VAULT_VALUE);
  return registry;
}

function scriptsOf(result: RenderResult, task: string): string[] {
  return result.hosts.flatMap((each) => each.tasks).filter((each) => each.name === task).flatMap((each) => each.scripts);
}

/** The record nonce src/modules/remote.ts draws for every script it sends: the one part of a script that differs between two sends. */
function withoutNonce(script: string): string {
  return script.replace(/fleet_rec_[0-9a-f]+/g, 'fleet_rec_NONCE');
}

describe('fleet render', () => {
  beforeAll(() => {
    host = ensureSandbox(12).find((each) => each.name === 'h12') as SandboxHost;
    rmSync(join(host.home, 'render-app'), { recursive: true, force: true });
    const dir = mkdtempSync(join(tmpdir(), 'fleet-render-'));
    inventory = join(dir, 'inventory.yml');
    writeFileSync(
      inventory,
      `all:\n  hosts:\n    r1:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n      ansible_ssh_private_key_file: ${host.keyFile}\n      ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n`,
    );
  });

  afterAll(() => {
    rmSync(join(host.home, 'render-app'), { recursive: true, force: true });
    rmSync(join(host.home, 'render-edits.conf'), { force: true });
    spawnSync('crontab', ['-r', '-u', host.user], { stdio: 'ignore' });
  });

  it('prints what apply sends, masks secrets, and changes nothing on the host', async () => {
    const before = homeState(host.home);
    const rendered = await renderPlaybooks(options(), secrets());
    expect(homeState(host.home)).toEqual(before);
    expect(rendered.exitCode).toBe(0);
    expect(rendered.notes).toEqual([]);

    const text = renderText(rendered);
    expect(text).toContain('# HOST [r1]');
    expect(text).toContain('\n# TASK [Copy a config] (render.yml:16)\n');
    expect(text).toContain('\n# TASK [Gathering Facts] (render.yml:3) (read-only: ran on the host)\n');
    expect(text).not.toContain(NO_LOG_SECRET);
    expect(text).not.toContain(Buffer.from(NO_LOG_SECRET).toString('base64'));
    expect(text).not.toContain(VAULT_VALUE);
    expect(scriptsOf(rendered, 'Write the token (no_log)')[0]).toContain(MASK);
    expect(scriptsOf(rendered, 'Use the vaulted password')[0]).toContain(`fleet_a="$fleet_a"${MASK}\n`);

    const json = JSON.parse(renderJson(rendered)) as { hosts: { host: string; tasks: { name: string; path: string }[] }[] };
    expect(json.hosts.map((each) => each.host)).toEqual(['r1']);
    expect(json.hosts[0]?.tasks.map((task) => `${task.name} (${task.path})`)).toEqual([
      'Gathering Facts (render.yml:3)',
      'Make the app directory (render.yml:10)',
      'Copy a config (render.yml:16)',
      'Template a page (render.yml:22)',
      'Run a command (render.yml:27)',
      'Write the token (no_log) (render.yml:32)',
      'Use the vaulted password (render.yml:39)',
    ]);

    const sent: OutgoingScript[] = [];
    const applied = await applyPlaybooks(options((outgoing) => void sent.push(outgoing)), new RenderNotesSink());
    expect(applied.exitCode).toBe(0);
    expect(readFileSync(join(host.home, 'render-app', 'app.conf'), 'utf8')).toBe('greeting=hello from fleet\n');
    for (const task of ['Copy a config', 'Template a page', 'Run a command']) {
      const applySent = sent.filter((each) => each.task.name === task).map((each) => withoutNonce(each.text));
      expect(applySent.length, task).toBe(1);
      expect(scriptsOf(rendered, task).map(withoutNonce), task).toEqual(applySent);
    }
    // Apply sent the secrets themselves: render masked what really went to the host.
    expect(sent.find((each) => each.task.name === 'Use the vaulted password')?.text).toContain(VAULT_VALUE);
  }, 60_000);

  it('runs the reads of modules that read before they write, so a converged host shows no write and later tasks still render', async () => {
    const converged = await applyPlaybooks(options(undefined, 'edits.yml', ['job_word=one']), new RenderNotesSink());
    expect(converged.exitCode).toBe(0);
    const crontabBefore = spawnSync('crontab', ['-l', '-u', host.user], { encoding: 'utf8' }).stdout;
    const before = homeState(host.home);

    const unchanged = await renderPlaybooks(options(undefined, 'edits.yml', ['job_word=one']), secrets());
    expect(unchanged.notes).toEqual([]);
    expect(unchanged.exitCode).toBe(0);
    for (const task of ['Schedule a job', 'Set a line']) expect(scriptsOf(unchanged, task).length, task).toBe(1);
    expect(scriptsOf(unchanged, 'After the edits').length).toBe(1);
    expect(renderText(unchanged)).toContain('# TASK [Schedule a job] (edits.yml:8) (read-only: ran on the host)\n');

    const changing = await renderPlaybooks(options(undefined, 'edits.yml', ['job_word=two']), secrets());
    expect(changing.notes).toEqual([]);
    expect(changing.exitCode).toBe(0);
    const [cronRead, cronWrite] = scriptsOf(changing, 'Schedule a job');
    expect(cronRead).toContain('crontab "$@" -l');
    expect(cronWrite).toContain(Buffer.from('#Ansible: render edits\n*/10 * * * * echo two\n').toString('base64'));
    expect(renderText(changing)).toContain('# script 1 of 2 (read-only: ran on the host)\n');
    expect(scriptsOf(changing, 'Set a line').length).toBe(2);
    expect(scriptsOf(changing, 'After the edits').length).toBe(1);

    expect(homeState(host.home)).toEqual(before);
    expect(spawnSync('crontab', ['-l', '-u', host.user], { encoding: 'utf8' }).stdout).toBe(crontabBefore);
  }, 60_000);

  it('lists hosts in play order, not in the order they first answered', async () => {
    // Five names for the same sshd, neither alphabetical nor by answer time: the order is the inventory's.
    const names = ['r5', 'r2', 'r9', 'r1', 'r7'];
    const aliases = join(mkdtempSync(join(tmpdir(), 'fleet-render-order-')), 'inventory.yml');
    const connection = readFileSync(inventory, 'utf8').split('\n').slice(3).join('\n');
    writeFileSync(aliases, `all:\n  hosts:\n${names.map((name) => `    ${name}:\n${connection}`).join('')}`);
    try {
      for (let run = 0; run < 3; run++) {
        const base = options();
        const rendered = await renderPlaybooks({ ...base, inventory: [aliases] }, secrets());
        expect(rendered.exitCode).toBe(0);
        expect(rendered.hosts.map((each) => each.host)).toEqual(names);
      }
    } finally {
      rmSync(dirname(aliases), { recursive: true, force: true });
    }
  }, 60_000);
});
