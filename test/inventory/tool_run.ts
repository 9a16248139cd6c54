import { spawnSync } from 'node:child_process';

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A command run in `dir` with only PATH, HOME (the directory) and colour off in its environment, plus `env`. */
export function runIn(dir: string, command: string, args: string[], env: Record<string, string> = {}): ToolRun {
  const done = spawnSync(command, args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir, ANSIBLE_NOCOLOR: '1', ...env } });
  return { status: done.status, stdout: done.stdout, stderr: done.stderr };
}

/** Output without the line breaks that Display's wrapping puts wherever the temp directory's name makes it. */
export const unwrapped = (text: string): string => text.replace(/\s+/g, ' ');
