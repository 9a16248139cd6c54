import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { execa } from 'execa';

/** What a script's `sh` started, counted by `strace -f` (the shell itself not included). */
export interface Started {
  /** Every process the shell started, directly or not. */
  processes: number;
  /** The programs they ran, by name, with how many times. */
  programs: Record<string, number>;
  /** Processes that ran no program: subshells and pipeline stages of the shell itself. */
  forksWithoutExec: number;
  rc: number;
  stdout: string;
  stderr: string;
}

/** Whether strace can trace here (a container may forbid ptrace). */
export async function canTrace(): Promise<boolean> {
  const run = await execa('strace', ['-f', '-qq', '-o', '/dev/null', 'true'], { reject: false }).catch(() => null);
  return run?.exitCode === 0;
}

/** Runs `script` with this machine's `sh` (dash on Debian) under `strace -f` and counts what it started. */
export async function tracedSh(script: string): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-traced-sh-'));
  try {
    const log = join(dir, 'trace');
    const result = await execa('strace', ['-f', '-qq', '-e', 'trace=process', '-o', log, 'sh'], { input: script, reject: false, stripFinalNewline: false });
    const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    const root = lines[0]!.split(/\s+/)[0];
    const pids = new Set(lines.map((line) => line.split(/\s+/)[0]).filter((pid) => pid !== root));
    const programs: Record<string, number> = {};
    const execed = new Set<string>();
    for (const line of lines) {
      const match = /^(\d+)\s+execve\("([^"]+)"/.exec(line);
      if (!match || match[1] === root) continue;
      execed.add(match[1] as string);
      const name = basename(match[2] as string);
      programs[name] = (programs[name] ?? 0) + 1;
    }
    return {
      processes: pids.size,
      programs,
      forksWithoutExec: [...pids].filter((pid) => !execed.has(pid as string)).length,
      rc: result.exitCode ?? -1,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
