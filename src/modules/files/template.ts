import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Args, ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { FleetError } from '../../errors.js';
import { TemplateSyntaxError, DELIMITER_OPTIONS, type Delimiters } from '../../template/index.js';
import { PyError } from '../../template/python/errors.js';
import { decodeUtf8Escaped, pyEncode } from '../../template/python/codecs.js';
import { ansibleTemplateVars } from '../../template/template_vars.js';
import { attributeWantsFrom } from './attributes.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { writeContent } from './content-write.js';
import { detailsOf, FileOptionError, isPreserveMode, withoutPreservedMode } from './mode.js';
import { expandUser } from './paths.js';
import { unvaultBytes } from '../../vault/context.js';

/**
 * The template action's options (lib/ansible/plugins/action/template.py, documented in
 * modules/template.py) plus the copy options it passes through.
 */
const spec: ArgSpec = {
  options: {
    src: { type: 'path' },
    dest: { type: 'path' },
    state: { type: 'str' },
    newline_sequence: { type: 'str', default: '\n' },
    block_start_string: { type: 'str' },
    block_end_string: { type: 'str' },
    variable_start_string: { type: 'str' },
    variable_end_string: { type: 'str' },
    comment_start_string: { type: 'str' },
    comment_end_string: { type: 'str' },
    trim_blocks: { type: 'bool', default: true },
    lstrip_blocks: { type: 'bool', default: false },
    force: { type: 'bool', default: true },
    follow: { type: 'bool', default: false },
    backup: { type: 'bool', default: false },
    validate: { type: 'str' },
    output_encoding: { type: 'str', default: 'utf-8' },
    ...FILE_COMMON_OPTIONS,
  },
};

const NEWLINES: Record<string, string> = { '\\n': '\n', '\\r': '\r', '\\r\\n': '\r\n', '\n': '\n', '\r': '\r', '\r\n': '\r\n' };
const fail = (msg: string): ModuleResult => ({ failed: true, changed: false, msg });

/** The delimiter options the task set (copy_with_new_env keeps Jinja2's default for an unset one). */
function delimitersFrom(args: Args): Delimiters {
  const delimiters: Delimiters = {};
  for (const [option, key] of Object.entries(DELIMITER_OPTIONS)) {
    const value = args.get(option);
    if (typeof value === 'string') delimiters[key] = value;
  }
  return delimiters;
}

/** The message the template action gives ("%s: %s" % (type(e).__name__, e)) for Templar.do_template's errors. */
function renderFailure(error: FleetError, text: string): string {
  const message = error.message;
  if (error instanceof PyError && error.pyName === 'UndefinedError') return `AnsibleUndefinedVariable: ${message}. ${message}`;
  if (error instanceof PyError && error.pyName === 'TypeError') {
    return `AnsibleError: Unexpected templating type error occurred on (${text}): ${message}. ${message}`;
  }
  // Jinja2 raises a render-time one with line 0, and the action shows str() of it, location and all.
  if (error instanceof TemplateSyntaxError && error.duringRender) return `TemplateSyntaxError: ${message}\n  line 0`;
  if (error instanceof TemplateSyntaxError) return `AnsibleError: template error while templating string: ${message}. String: ${text}. ${message}`;
  return `AnsibleError: ${message}`;
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const src = args.get('src') as string | null;
  const dest = args.get('dest') as string | null;
  const newline = NEWLINES[args.get('newline_sequence') as string];
  if (args.get('state') !== null) return fail("'state' cannot be specified on a template");
  if (src === null || dest === null) return fail('src and dest are required');
  if (newline === undefined) return fail('newline_sequence needs to be one of: \n, \r or \r\n');
  const source = ctx.findFile('templates', src);
  if (source === null) return fail(`Could not find or access '${src}'`);
  const sourceStat = await stat(source);
  const text = decodeUtf8Escaped(unvaultBytes(await readFile(source), source));
  let rendered: string;
  try {
    rendered = ctx.templar.renderFile(text, {
      source: { file: source, line: 1, col: 1 },
      extraVars: ansibleTemplateVars(src, source, dest),
      trimBlocks: args.get('trim_blocks') === true,
      lstripBlocks: args.get('lstrip_blocks') === true,
      newlineSequence: newline,
      delimiters: delimitersFrom(args),
    });
  } catch (error) {
    if (error instanceof FleetError) return fail(renderFailure(error, text));
    throw error;
  }
  let content: Buffer;
  try {
    content = pyEncode(rendered, (args.get('output_encoding') as string | null) || 'utf-8');
  } catch (error) {
    // The action encodes outside its own error handling: the task executor reports it.
    if (error instanceof PyError) return { failed: true, msg: `Unexpected failure during module execution: ${error.message}`, stdout: '' };
    throw error;
  }
  let attributes;
  try {
    attributes = attributeWantsFrom(withoutPreservedMode(args));
  } catch (error) {
    if (error instanceof FileOptionError) return { ...fail(error.message), ...detailsOf(error) };
    throw error;
  }
  if (isPreserveMode(args.get('mode'))) attributes.mode = { kind: 'octal', value: sourceStat.mode & 0o7777 };
  const expandedDest = expandUser(dest, ctx);
  return writeContent(
    {
      dest: expandedDest.endsWith('/') ? `${expandedDest}${basename(source)}` : expandedDest,
      content,
      basenameInDirectory: basename(source),
      force: args.get('force') === true,
      follow: args.get('follow') === true,
      backup: args.get('backup') === true,
      validate: (args.get('validate') as string | null) ?? null,
      attributes,
      afterHeader: null,
    },
    ctx,
  );
}

// Ansible's action runs copy (or file) on a rendered temp file; that invocation is not reported yet.
export const templateModule: ModuleDef = { name: 'template', spec, supportsCheckMode: true, oneScript: true, invocation: false, run };
