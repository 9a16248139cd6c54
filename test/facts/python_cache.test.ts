import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PythonProbeCache } from '../../src/facts/python_cache.js';
import { fleetProgram } from '../support/fleet_cli.js';

const OLD = { signature: '123 -rwxr-xr-x 1 0 0 6831736 Apr  9  2023 /usr/bin/python3.11', report: '{"python_version": "3.11.2"}' };
const NEW = { signature: '456 -rwxr-xr-x 1 0 0 6900000 Jan  2  2026 /usr/bin/python3.11', report: '{"python_version": "3.11.9"}' };

describe('the python facts cache file (python_cache.ts)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-python-cache-file-'));
    file = join(dir, '.fleet', 'python-facts.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const onDisk = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

  it('is written once, when saved, with every host answered, and no temp file left', async () => {
    const cache = new PythonProbeCache(file);
    for (let n = 1; n <= 40; n += 1) cache.remember(`h${n} /usr/bin/python3`, OLD);
    expect(existsSync(file)).toBe(false);
    await cache.save();
    expect(Object.keys(onDisk())).toHaveLength(40);
    expect(onDisk()['h7 /usr/bin/python3']).toEqual(OLD);
    expect(readdirSync(join(dir, '.fleet'))).toEqual(['python-facts.json']);
  });

  it('is not rewritten by a run whose hosts answered what it already held', async () => {
    const first = new PythonProbeCache(file);
    first.remember('h1 /usr/bin/python3', OLD);
    await first.save();
    writeFileSync(file, JSON.stringify({ 'h1 /usr/bin/python3': OLD, marker: OLD }));
    const second = new PythonProbeCache(file);
    second.remember('h1 /usr/bin/python3', OLD);
    await second.save();
    expect(onDisk()).toHaveProperty('marker');
  });

  it('holds the new answer after the interpreter changed, in this run and the next', async () => {
    const first = new PythonProbeCache(file);
    first.remember('h1 /usr/bin/python3', OLD);
    first.remember('h2 /usr/bin/python3', OLD);
    await first.save();
    const second = new PythonProbeCache(file);
    expect(second.get('h1 /usr/bin/python3')).toEqual(OLD);
    second.remember('h1 /usr/bin/python3', NEW);
    expect(second.get('h1 /usr/bin/python3')).toEqual(NEW);
    await second.save();
    const third = new PythonProbeCache(file);
    expect(third.get('h1 /usr/bin/python3')).toEqual(NEW);
    expect(third.get('h2 /usr/bin/python3')).toEqual(OLD);
  });

  it('replaces the file by rename, so a reader never sees it half written', async () => {
    const first = new PythonProbeCache(file);
    first.remember('h1 /usr/bin/python3', OLD);
    await first.save();
    const before = statSync(file).ino;
    const second = new PythonProbeCache(file);
    second.remember('h1 /usr/bin/python3', NEW);
    await second.save();
    expect(statSync(file).ino).not.toBe(before);
  });

  it('keeps saves in order: the last answer remembered is the one on disk', async () => {
    const cache = new PythonProbeCache(file);
    cache.remember('h1 /usr/bin/python3', OLD);
    const first = cache.save();
    cache.remember('h1 /usr/bin/python3', NEW);
    await Promise.all([first, cache.save()]);
    expect(onDisk()['h1 /usr/bin/python3']).toEqual(NEW);
  });

  it('keeps what another fleet process saved in between: a save lays its own answers over the file', async () => {
    const one = new PythonProbeCache(file);
    const other = new PythonProbeCache(file);
    expect(one.get('h1 /usr/bin/python3')).toBeUndefined();
    expect(other.get('h2 /usr/bin/python3')).toBeUndefined();
    one.remember('h1 /usr/bin/python3', OLD);
    other.remember('h2 /usr/bin/python3', NEW);
    await one.save();
    await other.save();
    expect(onDisk()).toEqual({ 'h1 /usr/bin/python3': OLD, 'h2 /usr/bin/python3': NEW });
  });

  it('is simply not written where it cannot be, and the run goes on', async () => {
    if (process.getuid?.() === 0) {
      // root writes through permissions: point the cache below a regular file instead.
      writeFileSync(join(dir, 'not-a-dir'), '');
      const cache = new PythonProbeCache(join(dir, 'not-a-dir', 'python-facts.json'));
      cache.remember('h1 /usr/bin/python3', OLD);
      await expect(cache.save()).resolves.toBeUndefined();
      return;
    }
    chmodSync(dir, 0o500);
    const cache = new PythonProbeCache(file);
    cache.remember('h1 /usr/bin/python3', OLD);
    await expect(cache.save()).resolves.toBeUndefined();
    chmodSync(dir, 0o700);
    expect(existsSync(file)).toBe(false);
  });
});

describe('fleet apply and the python facts cache', () => {
  it('writes what Gathering Facts learnt into <cwd>/.fleet/python-facts.json by the end of the run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-python-cache-run-'));
    try {
      writeFileSync(join(dir, 'hosts.yml'), 'all:\n  hosts:\n    here:\n      ansible_connection: local\n      ansible_python_interpreter: /usr/bin/python3\n');
      writeFileSync(join(dir, 'site.yml'), '- hosts: all\n  tasks:\n    - debug:\n        var: ansible_python_version\n');
      const run = await execa(...fleetProgram(['apply', '-i', 'hosts.yml', 'site.yml']), { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toContain('"ansible_python_version": "3.11.2"');
      const saved = JSON.parse(readFileSync(join(dir, '.fleet', 'python-facts.json'), 'utf8')) as Record<string, { report: string }>;
      expect(Object.keys(saved)).toEqual(['here /usr/bin/python3']);
      expect(JSON.parse(saved['here /usr/bin/python3']!.report)).toMatchObject({ python_version: '3.11.2' });
      expect(readdirSync(join(dir, '.fleet')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
