import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAscii } from 'node:buffer';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions } from '../../scripts/bundle_options.js';
import { repoRoot } from '../support/sandbox.js';

/**
 * What a fleet command initialises at start-up, seen in the bundle itself: esbuild wraps each
 * module that loads on use in an init function named after its source file, which V8's
 * coverage counts; the Node built-ins come from process.moduleLoadList.
 */
interface Started {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Source files (src/…) whose module code ran. */
  modules: Set<string>;
  /** Node built-ins loaded, as `http`, `tls`. */
  builtins: Set<string>;
}

// Inside the repository, so the bundle's external modules (better-sqlite3) resolve from node_modules.
mkdirSync(join(repoRoot, 'node_modules', '.cache'), { recursive: true });
const dir = mkdtempSync(join(repoRoot, 'node_modules', '.cache', 'fleet-startup-'));
const bundle = join(dir, 'fleet.cjs');
const project = join(dir, 'project');

function start(args: string[]): Started {
  const coverage = mkdtempSync(join(dir, 'coverage-'));
  const loads = join(coverage, 'loads.json');
  const script = `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loads)}, JSON.stringify(process.moduleLoadList)));
require(${JSON.stringify(bundle)}).main(['node', 'fleet', ...process.argv.slice(1)]);`;
  const run = spawnSync(process.execPath, ['-e', script, '--', ...args], { cwd: project, encoding: 'utf8', env: { ...process.env, NODE_V8_COVERAGE: coverage, NO_COLOR: '1' } });
  const url = pathToFileURL(bundle).href;
  const modules = new Set<string>();
  for (const file of readdirSync(coverage).filter((name) => name.startsWith('coverage-'))) {
    const report = JSON.parse(readFileSync(join(coverage, file), 'utf8')) as { result: Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ count: number }> }> }> };
    for (const script of report.result.filter((entry) => entry.url === url)) {
      for (const fn of script.functions) if (fn.functionName.startsWith('src/') && (fn.ranges[0]?.count ?? 0) > 0) modules.add(fn.functionName);
    }
  }
  const builtins = new Set((JSON.parse(readFileSync(loads, 'utf8')) as string[]).filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length)));
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, modules, builtins };
}

/** The modules of the commands other than apply, and what only they need. */
const OTHER_COMMANDS = ['audit', 'history', 'inventory', 'pull', 'render', 'rollback', 'telemetry', 'validate', 'vault', 'webhook'].map((name) => `src/cli/actions/${name}.ts`);
const SERVER_BUILTINS = ['http', 'https', 'tls', '_http_server'];

beforeAll(async () => {
  await build(bundleOptions(bundle));
  mkdirSync(project);
  writeFileSync(join(project, 'inventory.yml'), 'all:\n  hosts:\n    localhost:\n      ansible_connection: local\n');
  writeFileSync(join(project, 'site.yml'), "- hosts: all\n  gather_facts: false\n  tasks:\n    - name: Say yes\n      command: 'true'\n");
  writeFileSync(join(project, 'vault-password'), 'secret\n');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the bundle's start-up", () => {
  it('is ASCII, so bin/code-cache.js reads it as latin1', () => {
    expect(isAscii(readFileSync(bundle))).toBe(true);
  });

  it('fleet apply runs without initialising the other commands, the webhook server, the audit or node:http', () => {
    const apply = start(['apply', '-i', 'inventory.yml', 'site.yml']);
    expect(apply.stderr).toBe('');
    expect(apply.status).toBe(0);
    expect(apply.stdout).toMatch(/localhost\s+: ok=1 +changed=1 /);
    expect(apply.modules).toContain('src/cli/actions/apply.ts');
    expect(apply.modules).toContain('src/history/record_run.ts');
    for (const module of [...OTHER_COMMANDS, 'src/webhook/server.ts', 'src/audit/index.ts', 'src/telemetry/store.ts']) expect(apply.modules, module).not.toContain(module);
    for (const builtin of SERVER_BUILTINS) expect(apply.builtins, builtin).not.toContain(builtin);
    // bin/fleet.js is CommonJS so that node's ES module loader never starts; an import() left in the bundle would start it.
    expect(apply.builtins).not.toContain('internal/modules/esm/module_job');
  });

  it('fleet --help initialises no command', () => {
    const help = start(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: fleet');
    for (const module of ['src/cli/actions/apply.ts', 'src/executor/run_playbooks.ts', ...OTHER_COMMANDS]) expect(help.modules, module).not.toContain(module);
    // What only running a command needs: the inventory, the YAML loader, the history ledger's queries.
    for (const module of ['src/inventory/index.ts', 'src/yaml/load.ts', 'src/history/query.ts']) expect(help.modules, module).not.toContain(module);
  });

  it('the other commands still load what they need when they run', () => {
    const serve = start(['webhook', 'serve', '--listen', 'nowhere']);
    expect(serve.status).toBe(5);
    expect(serve.modules).toContain('src/cli/actions/webhook.ts');
    expect(serve.builtins).toContain('http');
    const vault = start(['vault', 'encrypt_string', '--vault-password-file', 'vault-password', 'hello']);
    expect(vault.status).toBe(0);
    expect(vault.stdout).toContain('$ANSIBLE_VAULT;1.1;AES256');
    expect(vault.modules).toContain('src/cli/actions/vault.ts');
    const inventory = start(['inventory', '-i', 'inventory.yml', '--graph']);
    expect(inventory.stderr).toBe('');
    expect(inventory.status).toBe(0);
    expect(inventory.stdout).toBe('@all:\n  |--@ungrouped:\n  |  |--localhost\n');
    expect(inventory.modules).toContain('src/cli/actions/inventory.ts');
  });
});
