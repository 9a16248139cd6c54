import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sortedNames } from './assemble-fragments.js';

/** [controller path, path relative to dest] pairs, as the copy action's _walk_dirs returns them. */
export interface SourceTree {
  files: [string, string][];
  directories: [string, string][];
  /** [link target, relative path]: links copy would recreate as links on the host. */
  symlinks: [string, string][];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * lib/ansible/plugins/action/copy.py's _walk_dirs: with a trailing slash the directory's
 * contents are copied, without it the directory itself. With local_follow, links to files
 * are copied as the files and links to directories walked, unless the link loops back into
 * a directory being copied. Names are sorted (os.walk's order is the filesystem's).
 */
export function walkSourceTree(top: string, localFollow: boolean): SourceTree {
  const tree: SourceTree = { files: [], directories: [], symlinks: [] };
  const trimmed = top.replace(/\/+$/, '') || '/';
  const relBase = top.endsWith('/') ? '' : basename(trimmed);
  const walk = (dir: string, rel: string, ancestors: ReadonlySet<string>) => {
    const names = sortedNames(readdirSync(dir));
    const subdirs = names.filter((name) => isDirectory(join(dir, name)));
    for (const name of names.filter((entry) => !subdirs.includes(entry))) {
      const path = join(dir, name);
      const target = join(rel, name);
      if (!lstatSync(path).isSymbolicLink()) tree.files.push([path, target]);
      else if (localFollow && isFile(realPath(path))) tree.files.push([realPath(path), target]);
      else tree.symlinks.push([readlinkSync(path), target]);
    }
    const walkLater: [string, string, Set<string>][] = [];
    for (const name of subdirs) {
      const path = join(dir, name);
      const target = join(rel, name);
      const real = realPath(path);
      if (!lstatSync(path).isSymbolicLink()) {
        tree.directories.push([path, target]);
        walkLater.push([path, target, new Set([...ancestors, real])]);
      } else if (!localFollow || ancestors.has(real) || `${realPath(dir)}/`.startsWith(`${real}/`)) {
        tree.symlinks.push([readlinkSync(path), target]);
      } else {
        tree.directories.push([real, target]);
        walk(real, target, new Set([...ancestors, real]));
      }
    }
    for (const [path, target, seen] of walkLater) walk(path, target, seen);
  };
  walk(trimmed, relBase, new Set([realPath(trimmed)]));
  return tree;
}
