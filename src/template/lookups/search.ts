import { existsSync } from 'node:fs';
import { posixAbspath, posixDirname, posixExpanduser, posixNormpath, posixPathJoin } from '../filters/posixpath.js';
import type { LookupContext } from '../registry.js';

/**
 * Where a lookup finds a file: Ansible's `find_file_in_search_path` and the loader's
 * `path_dwim_relative_stack` (lib/ansible/parsing/dataloader.py). For each search path the
 * `<subdir>/` folder (files/, templates/) is tried before the path itself, a role's
 * tasks/ path looks in the role, and the play's basedir comes last.
 */
function isRole(path: string): boolean {
  const untasked = ['main.yml', 'main.yaml', 'main'].map((f) => posixPathJoin(path, f));
  const tasked = ['tasks/main.yml', 'tasks/main.yaml', 'tasks/main', 'meta/main.yml', 'meta/main.yaml', 'meta/main'].flatMap((f) => [
    posixPathJoin(path, f),
    posixPathJoin(posixDirname(path), f),
  ]);
  return [...untasked, ...tasked].some((p) => existsSync(p));
}

/** The candidate paths, in the order Ansible tries them. */
export function searchCandidates(context: LookupContext, subdir: string, source: string): string[] {
  const paths = context.searchPaths.length > 0 ? context.searchPaths : [context.basedir];
  const search: string[] = [];
  const firstComponent = source.split('/')[0];
  for (const path of paths) {
    const upath = posixAbspath(path, context.basedir);
    const base = posixDirname(upath);
    if (isRole(path) && base.endsWith('/tasks')) {
      search.push(posixPathJoin(posixDirname(base), subdir, source), posixPathJoin(base, source));
    } else {
      if (firstComponent !== subdir) search.push(posixPathJoin(upath, subdir, source));
      search.push(posixPathJoin(upath, source));
    }
  }
  if (firstComponent !== subdir) search.push(posixPathJoin(context.basedir, subdir, source));
  search.push(posixPathJoin(context.basedir, source));
  return search;
}

/** The file a lookup reads, or undefined when no candidate exists. */
export function findInSearchPath(context: LookupContext, subdir: string, source: string): string | undefined {
  if (source.startsWith('~') || source.startsWith('/')) {
    const path = posixNormpath(posixExpanduser(source, context.env.HOME));
    return existsSync(path) ? path : undefined;
  }
  return searchCandidates(context, subdir, source).find((candidate) => existsSync(candidate));
}

