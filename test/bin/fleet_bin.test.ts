import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/sandbox.js';

/**
 * bin/fleet.js in a project of its own (a copy of bin/ beside a dist/ the test writes), run as
 * `node bin/fleet.js …` is: what it ran, and which node built-ins the process loaded.
 */
const root = mkdtempSync(join(tmpdir(), 'fleet-bin-'));
const project = (name: string) => {
  const dir = join(root, name);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'dist', 'cli'), { recursive: true });
  // The repository's own package.json says "type": "module", as the copy's does.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  for (const file of ['fleet.js', 'code-cache.js', 'package.json']) copyFileSync(join(repoRoot, 'bin', file), join(dir, 'bin', file));
  return dir;
};

const loads = join(root, 'loads.cjs');
writeFileSync(loads, "process.on('exit', () => require('node:fs').writeFileSync(process.env.LOADS_FILE, JSON.stringify(process.moduleLoadList)));\n");

function fleet(dir: string, args: string[]) {
  const loadsFile = join(dir, 'loads.json');
  const run = spawnSync(process.execPath, ['--require', loads, join(dir, 'bin', 'fleet.js'), ...args], { encoding: 'utf8', env: { ...process.env, LOADS_FILE: loadsFile } });
  const builtins = (JSON.parse(readFileSync(loadsFile, 'utf8')) as string[]).filter((entry) => entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, builtins };
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('bin/fleet.js', () => {
  it('runs the bundle with the arguments, without starting node\'s ES module loader', () => {
    const dir = project('bundle');
    writeFileSync(join(dir, 'dist', 'fleet.cjs'), 'exports.main = async (argv) => { process.stdout.write(JSON.stringify(argv.slice(2))); };\n');
    const run = fleet(dir, ['apply', '--list-tasks', 'site.yml']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('["apply","--list-tasks","site.yml"]');
    expect(run.builtins).toContain('vm');
    expect(run.builtins).not.toContain('internal/modules/esm/module_job');
    expect(run.builtins).not.toContain('internal/modules/esm/translators');
  });

  it('runs the compiled ES modules (dist/cli/main.js) when there is no bundle', () => {
    const dir = project('modules');
    writeFileSync(join(dir, 'dist', 'cli', 'main.js'), 'export async function main(argv) { process.stdout.write(`modules ${argv.slice(2).join(" ")}`); }\n');
    const run = fleet(dir, ['--help']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('modules --help');
  });

  it('exits 250 with the message when the CLI fails unexpectedly', () => {
    const dir = project('failing');
    writeFileSync(join(dir, 'dist', 'fleet.cjs'), "exports.main = async () => { throw new Error('boom'); };\n");
    const run = fleet(dir, ['apply']);
    expect(run.status).toBe(250);
    expect(run.stderr).toBe('boom\n');
  });
});
