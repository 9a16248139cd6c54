import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const loader = new URL('../../bin/code-cache.js', import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), 'fleet-code-cache-'));
const bundle = join(dir, 'bundle.cjs');

/** Loads the bundle for `command` in a fresh node process (as bin/fleet.js does) and prints what its main returns. */
function run(command = 'apply', v8Flags: string[] = []): string {
  const script = `import { loadBundle } from ${JSON.stringify(loader)};
const bundle = loadBundle(${JSON.stringify(bundle)}, ${JSON.stringify(command)}, ${JSON.stringify(v8Flags)});
process.stdout.write(bundle === null ? 'no bundle' : bundle.main());`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
}

const caches = () => readdirSync(dir).filter((name) => name.endsWith('.cache'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the bundle loader', () => {
  it('answers null when there is no bundle', () => {
    expect(run()).toBe('no bundle');
  });

  it('runs the bundle and leaves a code cache named after its size and mtime', () => {
    writeFileSync(bundle, "exports.main = () => 'first';");
    utimesSync(bundle, 1_000_000, 1_000_000);
    expect(run()).toBe('first');
    expect(caches()).toEqual([`bundle.cjs.${"exports.main = () => 'first';".length}-1000000000.apply.cache`]);
    expect(run()).toBe('first');
    expect(caches()).toHaveLength(1);
  });

  it('keeps one cache per command, and one for whatever is not a plain command name', () => {
    const name = (command: string) => `bundle.cjs.${"exports.main = () => 'first';".length}-1000000000.${command}.cache`;
    expect(run('vault')).toBe('first');
    expect(run('../../elsewhere')).toBe('first');
    expect(caches().sort()).toEqual([name('apply'), name('other'), name('vault')]);
    for (const command of ['vault', 'other']) rmSync(join(dir, name(command)));
  });

  it('never runs an old cache for a rebuilt bundle of the same length', () => {
    writeFileSync(bundle, "exports.main = () => 'other';");
    utimesSync(bundle, 2_000_000, 2_000_000);
    expect(run()).toBe('other');
    expect(caches()).toHaveLength(2);
  });

  it('reads a bundle that is not ASCII as UTF-8 (an ASCII one is read as latin1)', () => {
    writeFileSync(bundle, "exports.main = () => 'ς → σ';");
    utimesSync(bundle, 3_000_000, 3_000_000);
    expect(run()).toBe('ς → σ');
    expect(run()).toBe('ς → σ');
  });

  it('loads the built-ins the first run required before it sets the V8 flags and compiles the bundle', () => {
    // Whether zlib was loaded before the bundle asked for it; `%` parses only once --allow-natives-syntax is set.
    writeFileSync(bundle, "const early = process.moduleLoadList.includes('NativeModule zlib'); require('node:zlib'); exports.main = () => `${early} ${typeof %GetOptimizationStatus(() => 0)}`;");
    utimesSync(bundle, 4_000_000, 4_000_000);
    const flags = ['--allow-natives-syntax'];
    expect(run('apply', flags)).toBe('false number');
    const [list] = readdirSync(dir).filter((name) => name.includes('-4000000000.apply.') && name.endsWith('.builtins'));
    expect(readFileSync(join(dir, list ?? 'missing'), 'utf8')).toBe('node:zlib\n');
    expect(run('apply', flags)).toBe('true number');
  });
});
