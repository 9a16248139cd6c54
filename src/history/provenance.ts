import { execFile } from 'node:child_process';
import { hostname, userInfo } from 'node:os';

/** `user@hostname` of whoever runs fleet. */
export function whoRuns(): string {
  return `${userInfo().username}@${hostname()}`;
}

export interface GitState {
  commit: string;
  /** Tracked changes or untracked files: the run may not be reproducible from the commit alone. */
  dirty: boolean;
}

/**
 * The project's commit and whether its tree is dirty, or null outside a git work tree. Runs
 * git in the background so the apply never waits for it; the answer is needed only at the end.
 */
export async function gitState(cwd: string): Promise<GitState | null> {
  // One git process answers both: `# branch.oid` carries the commit, any other line is a change.
  const status = await git(cwd, ['status', '--porcelain=v2', '--branch']);
  if (status === null) return null;
  const lines = status.split('\n').filter(Boolean);
  const commit = /^# branch\.oid ([0-9a-f]+)$/m.exec(status)?.[1];
  if (commit === undefined) return null;
  return { commit, dirty: lines.some((line) => !line.startsWith('#')) };
}

function git(cwd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' } }, (error, stdout) => resolve(error ? null : stdout));
  });
}
