import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { FleetError } from '../errors.js';

const run = promisify(execFile);

export interface CheckoutRequest {
  url: string;
  /** Branch, tag or commit; default the remote's HEAD branch. */
  ref?: string;
  dir: string;
  /** Discard local modifications of tracked files instead of refusing to update. */
  clean: boolean;
}

export interface CheckoutResult {
  /** The commit checked out before (undefined on the first clone). */
  before?: string;
  after: string;
}

async function git(args: string[], cwd?: string): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new FleetError(`git ${args[0] ?? ''} failed: ${stderr || (error as Error).message}`, { cause: error });
  }
}

async function tryGit(args: string[], cwd: string): Promise<string | undefined> {
  return git(args, cwd).catch(() => undefined);
}

/**
 * Clones `url` into `dir` or updates the clone there, then checks out `ref` (detached), as
 * ansible-pull's git step does; every branch and tag is fetched, so any commit on them can
 * be named. https://docs.ansible.com/ansible/latest/cli/ansible-pull.html
 */
export async function updateCheckout(request: CheckoutRequest): Promise<CheckoutResult> {
  const { url, dir } = request;
  let before: string | undefined;
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(dirname(dir), { recursive: true });
    await git(['clone', '--quiet', '--no-checkout', url, dir]);
  } else {
    before = await tryGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], dir);
    const modified = await git(['status', '--porcelain', '--untracked-files=no'], dir);
    if (modified !== '' && !request.clean) throw new FleetError(`local modifications in ${dir} (--clean discards them):\n${modified}`);
    await git(['remote', 'set-url', 'origin', url], dir);
    // The remote is the truth: branches and tags that moved there move here too.
    await git(['fetch', '--quiet', '--prune', 'origin', '+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'], dir);
  }
  const after = await resolveRef(dir, request.ref);
  await git(['checkout', '--quiet', '--force', '--detach', after], dir);
  return before === undefined ? { after } : { before, after };
}

async function resolveRef(dir: string, ref: string | undefined): Promise<string> {
  const candidates = ref === undefined ? ['refs/remotes/origin/HEAD'] : [`refs/remotes/origin/${ref}`, `refs/tags/${ref}`, ref];
  for (const candidate of candidates) {
    const commit = await tryGit(['rev-parse', '--verify', '--quiet', `${candidate}^{commit}`], dir);
    if (commit) return commit;
  }
  throw new FleetError(ref === undefined ? `the repository has no default branch; name one with --checkout` : `no branch, tag or commit ${ref} in the repository`);
}
