import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, normalize, resolve } from 'node:path';

/** DataLoader.path_dwim: relative paths against the playbook's directory, `~` the controller user's home. */
function pathDwim(given: string, playbookDir: string): string {
  const expanded = given === '~' || given.startsWith('~/') ? `${homedir()}${given.slice(1)}` : given;
  return resolve(expanded.startsWith('/') || expanded.startsWith('~') ? expanded : join(playbookDir, expanded));
}

export class FetchDestError extends Error {}

/**
 * Where the fetch action puts a file (lib/ansible/plugins/action/fetch.py): `dest/<host>/<src>`,
 * or with `flat` dest itself (or dest/<basename of src> when dest ends in a slash).
 */
export function fetchDestination(options: { source: string; dest: string; flat: boolean; host: string; playbookDir: string }): string {
  const { source, flat, host, playbookDir } = options;
  let dest = options.dest;
  if (!flat) return normalize(`${pathDwim(dest, playbookDir)}/${host}/${source}`);
  // The action tests the dest as written, relative to the controller's working directory.
  if (existsSync(dest) && statSync(dest).isDirectory() && !dest.endsWith('/')) {
    throw new FetchDestError('dest is an existing directory, use a trailing slash if you want to fetch src into that directory');
  }
  if (dest.endsWith('/')) dest = join(dest, basename(source));
  if (!dest.startsWith('/')) dest = pathDwim(dest, playbookDir);
  return normalize(dest);
}
