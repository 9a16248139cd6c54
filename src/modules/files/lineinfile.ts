import type { Args, ArgSpec } from '../argspec.js';
import { PluginError } from '../../template/filters/common.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { attributeWantsFrom } from './attributes.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { absent, present } from './lineinfile-edit.js';
import { detailsOf, FileOptionError } from './mode.js';
import { expandUser } from './paths.js';
import { asResult } from './results.js';
import { attributesDiffEntry, EditError, readForEdit, readLines, writeEdit } from './text-edit.js';

/** lib/ansible/modules/lineinfile.py's argument_spec. */
const spec: ArgSpec = {
  options: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    regexp: { type: 'str', aliases: ['regex'] },
    search_string: { type: 'str' },
    line: { type: 'str', aliases: ['value'] },
    insertafter: { type: 'str' },
    insertbefore: { type: 'str' },
    backrefs: { type: 'bool', default: false },
    create: { type: 'bool', default: false },
    backup: { type: 'bool', default: false },
    firstmatch: { type: 'bool', default: false },
    validate: { type: 'str' },
    ...FILE_COMMON_OPTIONS,
  },
  mutuallyExclusive: [
    ['insertbefore', 'insertafter'],
    ['regexp', 'search_string'],
    ['backrefs', 'search_string'],
  ],
};

const str = (args: Args, name: string) => (args.get(name) as string | null) ?? null;

function emptyPatternWarning(regexp: string | null, searchString: string | null): string[] {
  if (regexp !== '' && searchString !== '') return [];
  let msg = `The ${regexp === '' ? 'regular expression' : 'search string'} is an empty string, which will match every line in the file. This may have unintended consequences, such as replacing the last line in the file rather than appending.`;
  if (regexp === '') msg += " If this is desired, use '^' to match every line in the file and avoid this warning.";
  return [msg];
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const path = expandUser(args.get('path') as string, ctx);
  const regexp = str(args, 'regexp');
  const searchString = str(args, 'search_string');
  const line = str(args, 'line');
  const isPresent = args.get('state') === 'present';
  const warnings = emptyPatternWarning(regexp, searchString);
  const withWarnings = (result: Record<string, unknown>) => asResult(warnings.length > 0 ? { ...result, warnings } : result);
  if (isPresent && args.get('backrefs') === true && regexp === null) return { failed: true, changed: false, msg: 'regexp is required with backrefs=true' };
  if (isPresent && line === null) return { failed: true, changed: false, msg: 'line is required with state=present' };
  if (!isPresent && regexp === null && searchString === null && line === null) {
    return { failed: true, changed: false, msg: 'one of line, search_string, or regexp is required with state=absent' };
  }
  try {
    const attributes = attributeWantsFrom(args);
    const read = await readForEdit(path, attributes, ctx);
    if (read.isDirectory) return { failed: true, changed: false, rc: 256, msg: `Path ${path} is a directory !` };
    if (!read.exists && (!isPresent || args.get('create') !== true)) {
      if (!isPresent) return withWarnings({ changed: false, msg: 'file not present' });
      return { failed: true, changed: false, rc: 257, msg: `Destination ${path} does not exist !` };
    }
    const before = readLines(read.text);
    let after: string[];
    let changed: boolean;
    let msg: string;
    let found: number | undefined;
    if (isPresent) {
      const insertbefore = str(args, 'insertbefore');
      const insertafter = str(args, 'insertafter') ?? (insertbefore === null ? 'EOF' : null);
      ({ lines: after, changed, msg } = present(before, { regexp, searchString, line: line as string, insertafter, insertbefore, backrefs: args.get('backrefs') === true, firstmatch: args.get('firstmatch') === true }));
    } else {
      const removal = absent(before, regexp, searchString, line);
      ({ lines: after, found } = removal);
      changed = found > 0;
      msg = changed ? `${found} line(s) removed` : '';
    }
    const contentDiff = {
      before: ctx.diff ? read.text : '',
      after: ctx.diff ? after.join('') : '',
      before_header: `${path} (content)`,
      after_header: `${path} (content)`,
    };
    if (ctx.check && !read.exists) return withWarnings({ changed, msg, backup: '', diff: contentDiff });
    let backup = '';
    let attributesChanged = read.attributesPending;
    let attributeOutput = read.attributeOutput;
    if (!ctx.check && (changed || read.attributesPending || !read.exists)) {
      const outcome = await writeEdit(
        { path, readSha1: read.sha1, content: changed ? after.join('') : null, createParents: true, backup: args.get('backup') === true, validate: str(args, 'validate'), attributes },
        ctx,
      );
      if (outcome.validateFailure) {
        return { failed: true, changed: false, msg: `failed to validate: rc:${outcome.validateFailure.rc} error:${outcome.validateFailure.stderr}` };
      }
      backup = outcome.backupFile;
      attributesChanged = outcome.attributesChanged;
      attributeOutput = outcome.output;
    }
    if (attributesChanged) {
      msg += `${changed ? ' and ' : ''}ownership, perms or SE linux context changed`;
      changed = true;
    }
    const result: Record<string, unknown> = { changed };
    if (found !== undefined) result['found'] = found;
    Object.assign(result, { msg, backup, diff: [contentDiff, attributesDiffEntry(attributeOutput, path)] });
    return withWarnings(result);
  } catch (error) {
    if (error instanceof EditError) return asResult(error.result);
    if (error instanceof FileOptionError) return { failed: true, changed: false, path, msg: error.message, ...detailsOf(error) };
    // A pattern Python's re rejects: Ansible's module dies with re.error's message.
    if (error instanceof PluginError) return { failed: true, changed: false, msg: error.message };
    throw error;
  }
}

export const lineinfileModule: ModuleDef = { name: 'lineinfile', spec, supportsCheckMode: true, run };
