import type { Userland } from '../../shell/userland.js';
import { PluginError } from '../../template/filters/common.js';
import { posixNormpath, posixPathJoin } from '../../template/filters/posixpath.js';
import { strRepr } from '../../template/python/repr.js';
import { ageMatches, cachedPyRegex, nameMatches, sizeMatches } from './find-filters.js';
import type { WalkEntry } from './find-walk.js';
import { PERM_BITS, TYPE_BITS, parseStatLine } from './stat.js';

type Stat = ReturnType<typeof parseStatLine>;

/**
 * The depth find.py gives PATH under TOP: slashes counted on the normalised path against
 * TOP's own spelling (so `a/./` shifts it, as it does in Python).
 */
export function walkDepth(top: string, path: string): number {
  const slashes = (text: string) => text.split('/').length - 1;
  return slashes(path) - slashes(`${top.replace(/\/+$/, '')}/`) + 1;
}

/** find.py's parameters, after its defaults and its age and size conversions. */
export interface Options {
  patterns: string[];
  excludes: string[];
  useRegex: boolean;
  fileType: string;
  age: number | null;
  ageStamp: 'atime' | 'mtime' | 'ctime';
  size: number | null;
  contains: string | null;
  readWholeFile: boolean;
  recurse: boolean;
  hidden: boolean;
  follow: boolean;
  depth: number | null;
}

/** A match waiting for what only the host can tell: the file's content or checksum. */
export interface Found {
  result: Record<string, unknown>;
  path: string;
  size: number;
  isReg: boolean;
  /** file_type any applies the size filter to regular files after taking the checksum. */
  sizeFilterLast: boolean;
}

/** find.py's statinfo: the result keys of one match, Python's order. */
function statInfo(st: Stat): Record<string, unknown> {
  const kind = st.mode & 0o170000;
  const info: Record<string, unknown> = { mode: (st.mode & 0o7777).toString(8).padStart(4, '0') };
  for (const name of ['isdir', 'ischr', 'isblk', 'isreg', 'isfifo', 'islnk', 'issock'] as const) info[name] = kind === TYPE_BITS[name];
  Object.assign(info, { uid: st.uid, gid: st.gid, size: st.size, inode: st.inode, dev: st.dev, nlink: st.nlink, atime: st.atime, mtime: st.mtime, ctime: st.ctime });
  info['gr_name'] = st.group === 'UNKNOWN' ? '' : st.group;
  info['pw_name'] = st.owner === 'UNKNOWN' ? '' : st.owner;
  for (const [name, bit] of PERM_BITS) info[name] = (st.mode & bit) !== 0;
  return info;
}

/** The `[Errno N] text: 'path'` Python's OSError reads as, from stat's complaint. */
export function osError(message: string, path: string): string {
  const errno = /Permission denied/.test(message) ? 13 : /Not a directory/.test(message) ? 20 : 2;
  const text = errno === 13 ? 'Permission denied' : errno === 20 ? 'Not a directory' : 'No such file or directory';
  return `[Errno ${errno}] ${text}: ${strRepr(path)}`;
}

/** os.walk's error for a directory it cannot open; find.py's onerror re-raises it. */
export class WalkError extends Error {}

/**
 * find.py's main loop over what the host listed, path by path: os.walk's visiting order and
 * depth cut-off, the entries lstat refused, and the filters that decide a match (kept in `found`).
 */
export class PathSearch {
  examined = 0;
  readonly skipped: Record<string, string> = {};
  readonly warnings: string[] = [];
  readonly found: Found[] = [];

  constructor(
    private readonly options: Options,
    private readonly now: number,
    private readonly userland: Userland,
  ) {}

  run(top: string, entries: Map<string, WalkEntry[]>): void {
    try {
      this.visit(top, top, '', entries);
    } catch (error) {
      // find.py's loop catches every exception per path: a walk error, or re.error from a pattern.
      if (!(error instanceof WalkError) && !(error instanceof PluginError)) throw error;
      this.skipPath(top, error.message);
    }
  }

  skipPath(top: string, reason: string): void {
    this.skipped[top] = reason;
    this.warnings.push(`Skipped '${top}' path due to this access issue: ${reason}\n`);
  }

  private visit(top: string, root: string, relative: string, entries: Map<string, WalkEntry[]>): void {
    const listed = entries.get(relative) ?? [];
    const files = listed.filter((entry) => !entry.isDir);
    const dirs = listed.filter((entry) => entry.isDir);
    this.examined += listed.length;
    let descend = true;
    for (const entry of [...files, ...dirs]) {
      const path = posixNormpath(posixPathJoin(root, entry.name));
      if (this.options.depth && walkDepth(top, path) > this.options.depth) {
        descend = false;
        continue;
      }
      if (entry.name.startsWith('.') && !this.options.hidden) continue;
      if (entry.statLine === null) {
        const reason = osError(entry.statError ?? '', path);
        this.skipped[path] = reason;
        this.warnings.push(`Skipped entry '${path}' due to this access issue: ${reason}\n`);
        continue;
      }
      this.consider(entry.name, path, parseStatLine(entry.statLine, this.userland));
    }
    if (!this.options.recurse || !descend) return;
    for (const dir of dirs) {
      if (!this.options.follow && dir.isDirLink) continue;
      const path = posixPathJoin(root, dir.name);
      if (dir.unreadable) throw new WalkError(osError('Permission denied', path));
      this.visit(top, path, relative === '' ? dir.name : `${relative}/${dir.name}`, entries);
    }
  }

  private consider(name: string, path: string, st: Stat): void {
    const { options } = this;
    const kind = st.mode & 0o170000;
    const isReg = kind === TYPE_BITS.isreg;
    const wanted =
      options.fileType === 'any' ||
      (options.fileType === 'directory' && kind === TYPE_BITS.isdir) ||
      (options.fileType === 'file' && isReg) ||
      (options.fileType === 'link' && kind === TYPE_BITS.islnk);
    if (!wanted) return;
    if (!nameMatches(name, options.patterns, options.excludes, options.useRegex)) return;
    if (!ageMatches(st[options.ageStamp].value, this.now, options.age)) return;
    if (options.fileType === 'file' && !sizeMatches(st.size, options.size)) return;
    // contentfilter compiles `contains` here, mid-walk; the content itself is read afterwards.
    if (options.fileType === 'file' && options.contains !== null) cachedPyRegex(options.contains);
    this.found.push({ result: { path, ...statInfo(st) }, path, size: st.size, isReg, sizeFilterLast: options.fileType === 'any' });
  }
}
