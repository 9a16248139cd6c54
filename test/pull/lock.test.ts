import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/pull/lock.js';

const lockPath = () => join(mkdtempSync(join(tmpdir(), 'fleet-lock-')), 'pull.lock');

describe('fleet pull lock', () => {
  it('is held by one owner until released', () => {
    const path = lockPath();
    const first = acquireLock(path);
    expect(first.acquired).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
    expect(acquireLock(path)).toEqual({ acquired: false, holder: process.pid });
    if (first.acquired) first.release();
    expect(existsSync(path)).toBe(false);
    expect(acquireLock(path).acquired).toBe(true);
  });

  it('gives way to a live process and takes over from a dead one', async () => {
    const path = lockPath();
    const holder = spawn('sleep', ['30']);
    writeFileSync(path, `${holder.pid}\n`);
    expect(acquireLock(path)).toEqual({ acquired: false, holder: holder.pid });
    holder.kill();
    await new Promise((resolve) => holder.once('exit', resolve));
    const taken = acquireLock(path);
    expect(taken.acquired).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`);
  });

  it('treats an unreadable pid as stale', () => {
    const path = lockPath();
    writeFileSync(path, 'garbage\n');
    expect(acquireLock(path).acquired).toBe(true);
  });

  it('does not remove a lock another process took after ours', () => {
    const path = lockPath();
    const mine = acquireLock(path);
    if (!mine.acquired) throw new Error('expected the lock');
    const other = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout;
    writeFileSync(path, other);
    mine.release();
    expect(readFileSync(path, 'utf8')).toBe(other);
  });

  it('lets exactly one of many processes racing for a stale lock win', async () => {
    const path = lockPath();
    const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout;
    writeFileSync(path, dead);
    // Each racer holds what it got until every racer has reported, so none sees a dead winner.
    const racer = `import { acquireLock } from ${JSON.stringify(join(import.meta.dirname, '../../src/pull/lock.ts'))};
const result = acquireLock(${JSON.stringify(path)});
process.stdout.write(result.acquired ? 'won' : 'lost');
await new Promise((done) => setTimeout(done, 120_000));`;
    const racerFile = join(mkdtempSync(join(tmpdir(), 'fleet-lock-racer-')), 'racer.mts');
    writeFileSync(racerFile, racer);
    const tsx = join(import.meta.dirname, '../../node_modules/.bin/tsx');
    const racers = Array.from({ length: 4 }, () => spawn(tsx, [racerFile]));
    const outcomes = await Promise.all(
      racers.map((child) => new Promise<string>((resolve) => {
        let errors = '';
        child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
        child.once('close', () => resolve(`exited: ${errors}`));
      })),
    );
    for (const child of racers) child.kill();
    expect(outcomes.filter((outcome) => outcome === 'won')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'lost')).toHaveLength(3);
  });
});
