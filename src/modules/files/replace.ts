import type { Args, ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { PluginError } from '../../template/filters/common.js';
import { compilePyRegex, findAll, substitute } from '../../template/filters/pyregex.js';
import { attributeWantsFrom } from './attributes.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { detailsOf, FileOptionError } from './mode.js';
import { expandUser } from './paths.js';
import { asResult } from './results.js';
import { EditError, readForEdit, writeEdit } from './text-edit.js';

/** lib/ansible/modules/replace.py's argument_spec. */
const spec: ArgSpec = {
  options: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
    regexp: { type: 'str', required: true },
    replace: { type: 'str', default: '' },
    after: { type: 'str' },
    before: { type: 'str' },
    backup: { type: 'bool', default: false },
    validate: { type: 'str' },
    encoding: { type: 'str', default: 'utf-8' },
    ...FILE_COMMON_OPTIONS,
  },
};

/** The part of the file `after`/`before` select (DOTALL, first match), as replace.py finds it. */
function section(contents: string, after: string | null, before: string | null): { start: number; end: number } | { unmatched: string } | null {
  let pattern = '';
  if (after && before) pattern = `${after}(?P<subsection>.*?)${before}`;
  else if (after) pattern = `${after}(?P<subsection>.*)`;
  else if (before) pattern = `(?P<subsection>.*)${before}`;
  if (!pattern) return null;
  const compiled = compilePyRegex(pattern, { dotall: true });
  const match = new RegExp(compiled.regex.source, compiled.regex.flags.replace('g', '') + 'd').exec(contents);
  const span = match?.indices?.[compiled.names.get('subsection') as number];
  if (!span) return { unmatched: pattern };
  return { start: span[0], end: span[1] };
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const path = expandUser(args.get('path') as string, ctx);
  const encoding = String(args.get('encoding')).toLowerCase().replace('_', '-');
  if (encoding !== 'utf-8' && encoding !== 'utf8') return { failed: true, changed: false, msg: `fleet only edits utf-8 files (encoding=${String(args.get('encoding'))})` };
  try {
    const attributes = attributeWantsFrom(args);
    const read = await readForEdit(path, attributes, ctx);
    if (read.isDirectory) return { failed: true, changed: false, rc: 256, msg: `Path ${path} is a directory !` };
    if (!read.exists) return { failed: true, changed: false, rc: 257, msg: `Path ${path} does not exist !` };
    const contents = read.text;
    const selected = section(contents, (args.get('after') as string | null) ?? null, (args.get('before') as string | null) ?? null);
    if (selected && 'unmatched' in selected) {
      return { rc: 0, msg: `Pattern for before/after params did not match the given file: ${selected.unmatched}`, changed: false };
    }
    const part = selected ? contents.slice(selected.start, selected.end) : contents;
    const compiled = compilePyRegex(args.get('regexp') as string, { multiline: true });
    const count = findAll(compiled, part).length;
    const replaced = substitute(compiled, args.get('replace') as string, part);
    const result: Record<string, unknown> = { rc: 0 };
    let changed = count > 0 && replaced !== part;
    let msg = '';
    let newContents = contents;
    if (changed) {
      newContents = selected ? contents.slice(0, selected.start) + replaced + contents.slice(selected.end) : replaced;
      msg = `${count} replacements made`;
      if (ctx.diff) result['diff'] = { before_header: path, before: contents, after_header: path, after: newContents };
    }
    let attributesChanged = read.attributesPending;
    if (!ctx.check && (changed || read.attributesPending)) {
      const outcome = await writeEdit(
        { path, readSha1: read.sha1, content: changed ? newContents : null, createParents: false, backup: args.get('backup') === true, validate: (args.get('validate') as string | null) ?? null, attributes },
        ctx,
      );
      if (outcome.validateFailure) {
        return { failed: true, changed: false, msg: `failed to validate: rc:${outcome.validateFailure.rc} error:${outcome.validateFailure.stderr}` };
      }
      if (outcome.backupFile) result['backup_file'] = outcome.backupFile;
      attributesChanged = outcome.attributesChanged;
    }
    if (attributesChanged) {
      msg += `${changed ? ' and ' : ''}ownership, perms or SE linux context changed`;
      changed = true;
    }
    return asResult({ ...result, msg, changed });
  } catch (error) {
    if (error instanceof EditError) return asResult(error.result);
    if (error instanceof FileOptionError) return { failed: true, changed: false, path, msg: error.message, ...detailsOf(error) };
    if (error instanceof PluginError) return { failed: true, changed: false, msg: error.message };
    throw error;
  }
}

export const replaceModule: ModuleDef = { name: 'replace', spec, supportsCheckMode: true, run };
