import type { Args, ArgSpec } from '../argspec.js';
import { paramsInvocation } from '../invocation.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { posixNormpath, posixPathJoin } from '../../template/filters/posixpath.js';
import { contentMatches, parseAge, parseSize, sizeMatches } from './find-filters.js';
import { fetchFileFacts } from './find-fetch.js';
import { osError, PathSearch, walkDepth, type Found, type Options } from './find-search.js';
import { parseWalk, walkScript } from './find-walk.js';
import { expandUser } from './paths.js';
import { scriptFailure } from './results.js';

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
  const firstLevel = walkDepth(top, posixNormpath(posixPathJoin(top, 'x')));
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

export const findFilesModule: ModuleDef = {
  name: 'find',
  spec,
  supportsCheckMode: true,
  invocation(given, args) {
    const invocation = paramsInvocation(spec, given, args);
    const patterns = invocation.module_args.get('patterns');
    // modules/find.py fills empty patterns into its params in place, so they show in the invocation.
    if (Array.isArray(patterns) && patterns.length === 0) invocation.module_args.set('patterns', [args.get('use_regex') === true ? '.*' : '*']);
    return invocation;
  },
  run,
};
