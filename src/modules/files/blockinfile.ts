import type { Args, ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { PluginError } from '../../template/filters/common.js';
import { compilePyRegex, search } from '../../template/filters/pyregex.js';
import { attributeWantsFrom } from './attributes.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { detailsOf, FileOptionError } from './mode.js';
import { expandUser } from './paths.js';
import { asResult } from './results.js';
import { attributesDiffEntry, EditError, readForEdit, writeEdit } from './text-edit.js';

/** lib/ansible/modules/blockinfile.py's argument_spec. */
const spec: ArgSpec = {
  options: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    marker: { type: 'str', default: '# {mark} ANSIBLE MANAGED BLOCK' },
    block: { type: 'str', default: '', aliases: ['content'] },
    insertafter: { type: 'str' },
    insertbefore: { type: 'str' },
    create: { type: 'bool', default: false },
    backup: { type: 'bool', default: false },
    validate: { type: 'str' },
    marker_begin: { type: 'str', default: 'BEGIN' },
    marker_end: { type: 'str', default: 'END' },
    ...FILE_COMMON_OPTIONS,
  },
  mutuallyExclusive: [['insertbefore', 'insertafter']],
};

/** bytes.splitlines(True): lines end at \n, \r\n or \r, which stay on the line. */
function splitLinesKeepEnds(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

const INLINE_MULTILINE = /^\(\?[aiLsux]*m[aiLmsux]*\)/;

interface BlockOptions {
  present: boolean;
  block: string;
  marker0: string;
  marker1: string;
  insertafter: string | null;
  insertbefore: string | null;
}

/** Where the block goes and what the file becomes (blockinfile.py main, after reading). */
function placeBlock(original: string, options: BlockOptions): string {
  const lines = splitLinesKeepEnds(original);
  const { present, marker0, marker1, insertbefore } = options;
  const insertafter = options.insertafter === null && insertbefore === null ? 'EOF' : options.insertafter;
  let block = options.block;
  let blocklines: string[] = [];
  if (present && block) {
    if (!block.endsWith('\n')) block += '\n';
    blocklines = [marker0, ...splitLinesKeepEnds(block), marker1];
  }
  const insertPattern = insertafter !== null && insertafter !== 'EOF' ? insertafter : insertbefore !== null && insertbefore !== 'BOF' ? insertbefore : null;
  let n0: number | null = null;
  let n1: number | null = null;
  lines.forEach((line, i) => {
    if (line === marker0) n0 = i;
    if (line === marker1) n1 = i;
  });
  if (n0 === null || n1 === null) {
    n0 = null;
    if (insertPattern !== null) {
      const insertRe = compilePyRegex(insertPattern);
      if (INLINE_MULTILINE.test(insertPattern)) {
        const match = search(insertRe, original);
        if (match) {
          const upTo = insertafter ? match.index + match[0].length : match.index;
          n0 = original.slice(0, upTo).split('\n').length - 1;
        }
      } else {
        lines.forEach((line, i) => {
          if (search(insertRe, line)) n0 = i;
        });
      }
      if (n0 === null) n0 = lines.length;
      else if (insertafter !== null) n0 += 1;
    } else if (insertbefore !== null) n0 = 0;
    else n0 = lines.length;
  } else if (n0 < n1) {
    lines.splice(n0, n1 - n0 + 1);
  } else {
    lines.splice(n1, n0 - n1 + 1);
    n0 = n1;
  }
  const at = n0 as number;
  if (at > 0 && !(lines[at - 1] as string).endsWith('\n')) lines[at - 1] += '\n';
  lines.splice(at, 0, ...blocklines);
  return lines.join('');
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const path = expandUser(args.get('path') as string, ctx);
  const present = args.get('state') === 'present';
  try {
    const attributes = attributeWantsFrom(args);
    const read = await readForEdit(path, attributes, ctx);
    if (read.isDirectory) return { failed: true, changed: false, rc: 256, msg: `Path ${path} is a directory !` };
    if (!read.exists && args.get('create') !== true) return { failed: true, changed: false, rc: 257, msg: `Path ${path} does not exist !` };
    if (!present && !read.exists) return { changed: false, msg: `File ${path} not present` };
    const marker = args.get('marker') as string;
    const blockLines = {
      present,
      block: args.get('block') as string,
      marker0: `${marker.split('{mark}').join(args.get('marker_begin') as string)}\n`,
      marker1: `${marker.split('{mark}').join(args.get('marker_end') as string)}\n`,
      insertafter: (args.get('insertafter') as string | null) ?? null,
      insertbefore: (args.get('insertbefore') as string | null) ?? null,
    };
    const original = read.exists ? read.text : null;
    const result = placeBlock(original ?? '', blockLines);
    const diff = {
      before: ctx.diff && original ? original : '',
      after: ctx.diff ? result : '',
      before_header: `${path} (content)`,
      after_header: `${path} (content)`,
    };
    let changed = original !== result;
    let msg = !changed ? '' : original === null ? 'File created' : present && blockLines.block ? 'Block inserted' : 'Block removed';
    if (ctx.check && !read.exists) return asResult({ changed, msg, diff });
    let backupFile = '';
    let attributesChanged = read.attributesPending;
    let attributeOutput = read.attributeOutput;
    if (!ctx.check && (changed || read.attributesPending)) {
      const outcome = await writeEdit(
        { path, readSha1: read.sha1, content: changed ? result : null, createParents: true, backup: args.get('backup') === true, validate: (args.get('validate') as string | null) ?? null, attributes },
        ctx,
      );
      if (outcome.validateFailure) {
        return { failed: true, changed: false, msg: `failed to validate: rc:${outcome.validateFailure.rc} error:${outcome.validateFailure.stderr}` };
      }
      backupFile = outcome.backupFile;
      attributesChanged = outcome.attributesChanged;
      attributeOutput = outcome.output;
    }
    if (attributesChanged) {
      msg += `${changed ? ' and ' : ''}ownership, perms or SE linux context changed`;
      changed = true;
    }
    const out: Record<string, unknown> = { changed, msg, diff: [diff, attributesDiffEntry(attributeOutput, path)] };
    if (backupFile) out['backup_file'] = backupFile;
    return asResult(out);
  } catch (error) {
    if (error instanceof EditError) return asResult(error.result);
    if (error instanceof FileOptionError) return { failed: true, changed: false, path, msg: error.message, ...detailsOf(error) };
    if (error instanceof PluginError) return { failed: true, changed: false, msg: error.message };
    throw error;
  }
}

export const blockinfileModule: ModuleDef = { name: 'blockinfile', spec, supportsCheckMode: true, run };
