import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type Connection } from '../../src/connections/index.js';
import { lockHost, renderLock } from '../../src/executor/host_lock.js';
import { ensureSandbox, sandboxTarget } from '../support/sandbox.js';
import { canTrace, tracedSh } from '../support/traced_sh.js';

/** h13: no other suite locks it. */
const HOST = 'h13';
let connection: Connection;

/** Leaves ~/.fleet-lock as a run whose shell is `pid` left it. */
async function lockedBy(pid: string): Promise<void> {
  await connection.exec(`rm -rf "$HOME/.fleet-lock" && mkdir "$HOME/.fleet-lock" && echo other-run > "$HOME/.fleet-lock/run" && echo ${pid} > "$HOME/.fleet-lock/pid"`);
}

describe('the host lock', () => {
  beforeAll(async () => {
    ensureSandbox(13);
    connection = await connectSsh(sandboxTarget(HOST));
  });
  afterAll(async () => {
    await connection.exec('rm -rf "$HOME/.fleet-lock"');
    await connection.close();
  });

  it('is refused while the shell holding it lives', async () => {
    const owner = (await connection.exec('sleep 30 >/dev/null 2>&1 & echo $!')).stdout.trim();
    await lockedBy(owner);
    await expect(lockHost(connection, 0, 'this-run')).rejects.toThrow(`another fleet run holds`);
    await connection.exec(`kill ${owner}`);
  });

  it('is taken over from a shell that exited but is not yet reaped (a zombie answers kill -0)', async () => {
    // `sleep 0` exits first and stays a zombie: its parent, exec'd into `sleep 30`, never reaps it.
    const zombie = (await connection.exec(`sh -c 'sleep 0 & echo $!; exec sleep 30' </dev/null 2>/dev/null & sleep 0.5`)).stdout.trim();
    expect((await connection.exec(`ps -o stat= -p ${zombie}`)).stdout).toMatch(/Z/);
    await lockedBy(zombie);
    await expect(lockHost(connection, 0, 'this-run')).resolves.toBeUndefined();
    expect((await connection.exec('cat "$HOME/.fleet-lock/run"')).stdout).toBe('this-run\n');
    await connection.exec('pkill -u "$(id -u)" -x sleep; rm -rf "$HOME/.fleet-lock"');
  });
});

describe('the host lock script, run by this machine’s sh', async () => {
  const traced = await canTrace();
  const home = mkdtempSync(join(tmpdir(), 'fleet-lock-home-'));
  const lockDir = join(home, '.fleet-lock');
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  /** Runs the lock script for `runId` as a login whose home is `home`. */
  const lock = (runId: string) => tracedSh(`HOME=${home}\n${renderLock(0, runId)}`);
  /** The pid of a process that has exited: an owner that is gone. */
  const deadPid = () => String(spawnSync('true').pid);
  /** Leaves the lock as run `run`, whose shell was `pid`, left it. */
  const leftBy = (run: string, pid: string) => {
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'pid'), `${pid}\n`);
    writeFileSync(join(lockDir, 'run'), `${run}\n`);
  };
  const holder = () => readFileSync(join(lockDir, 'run'), 'utf8');

  it.runIf(traced)('is made by the first run on a login with one mkdir, and taken over from a run that ended with no process at all', async () => {
    const first = await lock('run-1');
    expect([first.rc, first.programs, holder()]).toEqual([0, { mkdir: 1 }, 'run-1\n']);
    leftBy('run-1', deadPid());
    const next = await lock('run-2');
    expect([next.rc, next.processes, holder()]).toEqual([0, 0, 'run-2\n']);
    expect(readFileSync(join(lockDir, 'pid'), 'utf8')).toMatch(/^\d+\n$/);
  });

  it.runIf(traced)('goes to one run only when two find the same owner gone: the other finds the claim made and gives up', async () => {
    const dead = deadPid();
    leftBy('run-ended', dead);
    // Another run has claimed this owner's lock and not yet written its own pid.
    writeFileSync(join(lockDir, `claim.run-ended.${dead}`), '');
    const late = await lock('run-late');
    expect(late.rc).toBe(75);
    expect(holder()).toBe('run-ended\n');
  });

  it('goes to exactly one of six runs racing for a stale lock (the previous script let two win now and then)', async () => {
    const script = join(home, 'race.sh');
    // A race: the previous script let two racers win, or one fail, in about one round in 13,
    // so 20 rounds catch it about four times in five.
    for (let round = 0; round < 20; round++) {
      leftBy(`ended-${round}`, deadPid());
      // A winner keeps its shell, the pid it wrote, alive until the others have given up:
      // on a loaded machine a racer may start only after a winner's shell would have ended,
      // and then rightly take the lock over.
      const release = join(home, `release-${round}`);
      let ended = 0;
      const racers = Array.from({ length: 6 }, (_, i) => {
        writeFileSync(script + i, renderLock(0, `racer-${round}-${i}`));
        const racer = execa('sh', ['-c', `. ${script}${i} && while [ ! -e ${release} ]; do sleep 0.05; done`], { env: { HOME: home }, reject: false });
        void racer.then(() => (ended += 1));
        return racer;
      });
      for (let waited = 0; ended < 5 && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
      writeFileSync(release, '');
      const codes = (await Promise.all(racers)).map((racer) => racer.exitCode);
      expect(codes.filter((code) => code === 0), JSON.stringify(codes)).toHaveLength(1);
      expect(codes.filter((code) => code !== 0 && code !== 75)).toEqual([]);
    }
  });

  it.runIf(traced)('keeps only a few claims: every so often one rm clears all but the newest', async () => {
    const claims = () => readdirSync(lockDir).filter((name) => name.startsWith('claim.'));
    for (const name of claims()) rmSync(join(lockDir, name));
    const rms: number[] = [];
    for (let i = 0; i < 20; i++) {
      leftBy(`gen-${i}`, deadPid());
      const run = await lock(`gen-${i + 1}`);
      expect(run.rc).toBe(0);
      rms.push(run.programs.rm ?? 0);
    }
    expect(rms.filter((count) => count > 0)).toHaveLength(1);
    // 16 claims are kept; the 17th takeover clears all but its own, and 3 more follow it.
    expect(claims()).toHaveLength(4);
  });
});
