import type { Args, ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import type { Userland } from '../../shell/userland.js';
import { PluginError } from '../../template/filters/common.js';
import { posixNormpath, posixPathJoin } from '../../template/filters/posixpath.js';
import { strRepr } from '../../template/python/repr.js';
import { compilePyRegex } from '../../template/filters/pyregex.js';
import { ageMatches, contentMatches, nameMatches, parseAge, parseSize, sizeMatches } from './find-filters.js';
import { fetchFileFacts } from './find-fetch.js';
import { parseWalk, walkScript, type WalkEntry } from './find-walk.js';
import { expandUser } from './paths.js';
import { scriptFailure } from './results.js';
import { PERM_BITS, TYPE_BITS, parseStatLine } from './stat.js';

/** lib/ansible/modules/find.py's argument_spec (2.14: no checksum_algorithm, encoding or mode yet). */
const spec: ArgSpec = {
  options: {
    paths: { type: 'list', elements: 'str', required: true, aliases: ['name', 'path'] },
    patterns: { type: 'list', elements: 'str', default: [], aliases: ['pattern'] },
    excludes: { type: 'list', elements: 'str', aliases: ['exclude'] },
    contains: { type: 'str' },
    read_whole_file: { type: 'bool', default: false },
    file_type: { type: 'str', default: 'file', choices: ['any', 'directory', 'file', 'link'] },
    age: { type: 'str' },
    age_stamp: { type: 'str', default: 'mtime', choices: ['atime', 'ctime', 'mtime'] },
    size: { type: 'str' },
    recurse: { type: 'bool', default: false },
    hidden: { type: 'bool', default: false },
    follow: { type: 'bool', default: false },
    get_checksum: { type: 'bool', default: false },
    use_regex: { type: 'bool', default: false },
    depth: { type: 'int' },
  },
};

interface Options {
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

type Stat = ReturnType<typeof parseStatLine>;

/** A match waiting for what only the host can tell: the file's content or checksum. */
interface Found {
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
function osError(message: string, path: string): string {
  const errno = /Permission denied/.test(message) ? 13 : /Not a directory/.test(message) ? 20 : 2;
  const text = errno === 13 ? 'Permission denied' : errno === 20 ? 'Not a directory' : 'No such file or directory';
  return `[Errno ${errno}] ${text}: ${strRepr(path)}`;
}

/** os.walk's error for a directory it cannot open; find.py's onerror re-raises it. */
class WalkError extends Error {}

/** The walk and the filters of find.py's main loop for one of `paths`; matches go to `found`. */
class PathSearch {
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

  private depthOf(top: string, path: string): number {
    const slashes = (text: string) => text.split('/').length - 1;
    return slashes(path) - slashes(`${top.replace(/\/+$/, '')}/`) + 1;
  }

  private visit(top: string, root: string, relative: string, entries: Map<string, WalkEntry[]>): void {
    const listed = entries.get(relative) ?? [];
    const files = listed.filter((entry) => !entry.isDir);
    const dirs = listed.filter((entry) => entry.isDir);
    this.examined += listed.length;
    let descend = true;
    for (const entry of [...files, ...dirs]) {
      const path = posixNormpath(posixPathJoin(root, entry.name));
      if (this.options.depth && this.depthOf(top, path) > this.options.depth) {
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
    if (options.fileType === 'file' && options.contains !== null) compilePyRegex(options.contains);
    this.found.push({ result: { path, ...statInfo(st) }, path, size: st.size, isReg, sizeFilterLast: options.fileType === 'any' });
  }
}

/** find.py's parameters after its defaults and the age/size conversions, or its failure. */
function readOptions(args: Args): { options: Options } | { failure: ModuleResult } {
  const useRegex = args.get('use_regex') === true;
  const patterns = (args.get('patterns') as string[] | null) ?? [];
  const ageText = args.get('age') as string | null;
  const sizeText = args.get('size') as string | null;
  const age = ageText === null ? null : parseAge(ageText);
  if (ageText !== null && age === null) return { failure: { failed: true, changed: false, age: ageText, msg: 'failed to process age' } };
  const size = sizeText === null ? null : parseSize(sizeText);
  if (sizeText !== null && size === null) return { failure: { failed: true, changed: false, size: sizeText, msg: 'failed to process size' } };
  const depth = args.get('depth') as number | null;
  const options: Options = {
    patterns: patterns.length > 0 ? patterns : [useRegex ? '.*' : '*'],
    excludes: (args.get('excludes') as string[] | null) ?? [],
    useRegex,
    fileType: args.get('file_type') as string,
    age,
    ageStamp: args.get('age_stamp') as Options['ageStamp'],
    size,
    contains: args.get('contains') as string | null,
    readWholeFile: args.get('read_whole_file') === true,
    recurse: args.get('recurse') === true,
    hidden: args.get('hidden') === true,
    follow: args.get('follow') === true,
    depth: depth === 0 ? null : depth,
  };
  return { options };
}

/** How deep find must list under `top` for os.walk's visits (find.py stops a directory whose entries are too deep). */
function listingDepth(top: string, options: Options): number | null {
  if (!options.recurse) return 1;
  if (options.depth === null) return null;
  const slashes = (text: string) => text.split('/').length - 1;
  // The depth find.py computes for an entry right under `top` (spellings like `a/./` shift it).
  const firstLevel = slashes(posixNormpath(posixPathJoin(top, 'x'))) - slashes(`${top.replace(/\/+$/, '')}/`) + 1;
  return Math.max(1, options.depth - firstLevel + 2);
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const read = readOptions(args);
  if ('failure' in read) return read.failure;
  const { options } = read;
  const tops = (args.get('paths') as string[]).map((path) => expandUser(path, ctx));
  const output = await ctx.remote(
    walkScript(tops.map((path) => ({ path, maxDepth: listingDepth(path, options) })), options.follow, ctx.userland),
  );
  const failure = scriptFailure(output);
  if (failure) return failure;
  const walk = parseWalk(output);
  const search = new PathSearch(options, walk.now, ctx.userland);
  tops.forEach((top, index) => {
    const walked = walk.paths[index];
    if (walked?.status === 'listed') search.run(top, walked.entries);
    else search.skipPath(top, walked?.status === 'unreadable' ? osError('Permission denied', top) : `'${top}' is not a directory`);
  });
  const files = await finishMatches(search.found, options, args.get('get_checksum') === true, ctx);
  if (!Array.isArray(files)) return files;
  const result: ModuleResult = {
    files,
    changed: false,
    msg: search.warnings.length > 0 ? 'Not all paths examined, check warnings for details' : 'All paths examined',
    matched: files.length,
    examined: search.examined,
    skipped_paths: search.skipped,
  };
  if (search.warnings.length > 0) result['warnings'] = search.warnings;
  return result;
}

/**
 * The content filter and checksums, which need the matched files themselves: one more round
 * trip, only when `contains` or `get_checksum` asks for them and something matched.
 */
async function finishMatches(found: Found[], options: Options, getChecksum: boolean, ctx: ModuleContext): Promise<Record<string, unknown>[] | ModuleResult> {
  const needContent = options.contains !== null && options.fileType === 'file';
  const checksummed = getChecksum && (options.fileType === 'file' || options.fileType === 'any');
  if (found.length === 0 || (!needContent && !checksummed)) return finalSizeFilter(found, options);
  const facts = await fetchFileFacts(
    found.map((match) => ({ path: match.path, content: needContent, checksum: checksummed && match.isReg })),
    ctx,
  );
  if ('failure' in facts) return facts.failure;
  const kept: Found[] = [];
  for (const [index, match] of found.entries()) {
    const fact = facts.files[index];
    if (needContent && !contentMatches(fact?.content ?? null, options.contains as string, options.readWholeFile)) continue;
    if (fact?.checksum !== undefined) {
      if (fact.checksum === null) {
        return { failed: true, changed: false, msg: `error while accessing the file ${match.path}, error was: ${osError('Permission denied', match.path)}` };
      }
      match.result['checksum'] = fact.checksum;
    }
    kept.push(match);
  }
  return finalSizeFilter(kept, options);
}

function finalSizeFilter(found: Found[], options: Options): Record<string, unknown>[] {
  return found.filter((match) => !(match.sizeFilterLast && match.isReg) || sizeMatches(match.size, options.size)).map((match) => match.result);
}

export const findFilesModule: ModuleDef = { name: 'find', spec, supportsCheckMode: true, run };
