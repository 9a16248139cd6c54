import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { readFile } from 'node:fs/promises';
import type { ArgSpec } from '../argspec.js';
import { paramsInvocation } from '../invocation.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { jsonDumps } from '../../template/filters/json.js';
import { PyDict, type PyValue } from '../../template/values.js';
import { pyStr } from '../../template/python/index.js';
import { isStr, strValue } from '../../template/python/types.js';
import { attributeWantsOrFailure } from './attributes.js';
import { detailsOf, FileOptionError, isPreserveMode, withoutPreservedMode } from './mode.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { writeContent } from './content-write.js';
import { expandUser } from './paths.js';
import { copyOnHost } from './remote-copy.js';
import { copyDirectory } from './copy-directory.js';
import { unvaultBytes } from '../../vault/context.js';

/** The copy module's argument_spec plus the action plugin's own `decrypt` (lib/ansible/modules/copy.py). */
const spec: ArgSpec = {
  options: {
    src: { type: 'path' },
    _original_basename: { type: 'str' },
    // raw: the action writes dicts and lists as JSON before the module sees them.
    content: { type: 'raw', noLog: true },
    dest: { type: 'path', required: true },
    backup: { type: 'bool', default: false },
    force: { type: 'bool', default: true },
    validate: { type: 'str' },
    directory_mode: { type: 'raw' },
    remote_src: { type: 'bool' },
    local_follow: { type: 'bool' },
    checksum: { type: 'str' },
    follow: { type: 'bool', default: false },
    decrypt: { type: 'bool', default: true },
    ...FILE_COMMON_OPTIONS,
  },
};

function contentText(content: PyValue): string {
  // Text built from registered results is !unsafe text, not a plain string.
  if (isStr(content)) return strValue(content);
  if (content instanceof PyDict || Array.isArray(content)) return jsonDumps(content);
  return pyStr(content);
}

/** The checks the copy action makes before anything else, with its messages. */
function argumentProblem(src: string | null, content: PyValue, dest: string): string | null {
  if (src === null && content === null) return 'src (or content) is required';
  if (!dest) return 'dest is required';
  if (src !== null && content !== null) return 'src and content are mutually exclusive';
  if (content !== null && dest.endsWith('/')) return 'can not use content with a dir as dest';
  return null;
}

async function run(args: Map<string, PyValue>, ctx: ModuleContext): Promise<ModuleResult> {
  const src = args.get('src') as string | null;
  const content = args.get('content') ?? null;
  let dest = expandUser(args.get('dest') as string, ctx);
  const problem = argumentProblem(src, content, dest);
  if (problem) return { failed: true, changed: false, msg: problem };
  if (args.get('remote_src') === true) {
    try {
      return await copyOnHost(args, src as string, dest, ctx);
    } catch (error) {
      if (error instanceof FileOptionError) return { failed: true, changed: false, msg: error.message, ...detailsOf(error) };
      throw error;
    }
  }
  const preserve = isPreserveMode(args.get('mode'));
  const wanted = attributeWantsOrFailure(withoutPreservedMode(args));
  if ('failure' in wanted) return wanted.failure;
  const attributes = wanted.attributes;
  // The content's temp file is made by mkstemp, so `preserve` means 0600 there.
  if (preserve) attributes.mode = { kind: 'octal', value: 0o600 };

  let bytes: Buffer;
  let sourceName: string | null = null;
  let afterHeader: string | null = null;
  if (content !== null) {
    bytes = Buffer.from(contentText(content), 'utf8');
  } else {
    const found = ctx.findFile('files', src as string);
    if (found === null) return { failed: true, changed: false, msg: `could not find src=${src}, Could not find or access '${src}' on the Ansible Controller.` };
    const stats = statSync(found);
    if (stats.isDirectory()) {
      // The action keeps the slash the task wrote: with it the contents are copied, without it the directory.
      const source = `${found.replace(/\/+$/, '')}${(src as string).endsWith('/') ? '/' : ''}`;
      return copyDirectory(args, source, dest, attributes, ctx);
    }
    const raw = await readFile(found);
    bytes = args.get('decrypt') === true ? unvaultBytes(raw, found) : raw;
    sourceName = basename(found);
    afterHeader = found;
    if (preserve) attributes.mode = { kind: 'octal', value: stats.mode & 0o7777 };
    if (dest.endsWith('/')) dest = `${dest}${sourceName}`;
  }
  return writeContent(
    {
      dest,
      content: bytes,
      basenameInDirectory: sourceName,
      force: args.get('force') === true,
      follow: args.get('follow') === true,
      backup: args.get('backup') === true,
      validate: (args.get('validate') as string | null) ?? null,
      attributes,
      afterHeader,
    },
    ctx,
  );
}

export const copyModule: ModuleDef = {
  name: 'copy',
  spec,
  supportsCheckMode: true,
  // With remote_src the action runs the copy module on the task's arguments; otherwise copy on an
  // uploaded temp file, or file when nothing changed (not reported yet).
  invocation: (given, args) => (args.get('remote_src') === true ? paramsInvocation(spec, given, args, ['decrypt']) : null),
  run,
};
