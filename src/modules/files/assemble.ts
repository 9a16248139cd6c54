import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Args, ArgSpec } from '../argspec.js';
import { ArgumentError } from '../argspec.js';
import { paramsInvocation } from '../invocation.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { PluginError } from '../../template/filters/common.js';
import { attributeWantsFrom, type AttributeWants } from './attributes.js';
import { assembleOnController, chosenNames, compileFragmentRegexp, type FragmentChoice } from './assemble-fragments.js';
import { assembleOnHost, listSourceDirectory } from './assemble-remote.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { writeContent } from './content-write.js';
import { delimiterSequence, EscapeDecodeError } from './escape-decode.js';
import { detailsOf, FileOptionError } from './mode.js';
import { expandUser } from './paths.js';
import { validateCommand } from './validate.js';

/** lib/ansible/modules/assemble.py's argument_spec plus what its action plugin reads (decrypt, follow). */
const spec: ArgSpec = {
  options: {
    src: { type: 'path' },
    dest: { type: 'path' },
    delimiter: { type: 'str' },
    backup: { type: 'bool', default: false },
    remote_src: { type: 'bool', default: true },
    regexp: { type: 'str' },
    ignore_hidden: { type: 'bool', default: false },
    validate: { type: 'str' },
    decrypt: { type: 'bool', default: true },
    follow: { type: 'bool', default: false },
    ...FILE_COMMON_OPTIONS,
  },
};

const fail = (msg: string): ModuleResult => ({ failed: true, changed: false, msg });

interface Request {
  src: string;
  dest: string;
  choice: FragmentChoice;
  delimiters: Buffer[];
  attributes: AttributeWants;
}

function problemMessage(error: unknown): ModuleResult | null {
  if (error instanceof FileOptionError) return { ...fail(error.message), ...detailsOf(error) };
  if (error instanceof EscapeDecodeError || error instanceof ArgumentError) return fail(error.message);
  return null;
}

async function onHost(args: Args, request: Request, ctx: ModuleContext): Promise<ModuleResult> {
  const validate = (args.get('validate') as string | null) ?? null;
  const listed = await listSourceDirectory(request.src, ctx);
  if (!Array.isArray(listed)) return listed;
  if (validate) validateCommand(validate, 'fleet_tmp');
  return assembleOnHost(
    {
      src: request.src,
      dest: request.dest,
      names: chosenNames(listed, request.choice),
      delimiters: request.delimiters,
      backup: args.get('backup') === true,
      validate: validate || null,
      attributes: request.attributes,
    },
    ctx,
  );
}

/**
 * remote_src: false. The action compares `checksum_s(path)` (the checksum of the temp file's
 * *name*) with the destination's, so it always hands the content to the copy module; the
 * result is that module's, without the copy action's additions (`path`, an empty `diff`).
 */
async function fromController(args: Args, request: Request, ctx: ModuleContext): Promise<ModuleResult> {
  const found = ctx.findFile('files', request.src);
  if (found === null) return fail(`Could not find or access '${request.src}' on the Ansible Controller.`);
  if (!statSync(found).isDirectory()) return fail(`Source (${found}) is not a directory`);
  const content = assembleOnController(found, request.choice, request.delimiters, args.get('decrypt') === true);
  const written = await writeContent(
    {
      dest: request.dest,
      content,
      // The copy module names a file put into a directory after its source: the action's temp file `src`.
      basenameInDirectory: 'src',
      force: true,
      follow: args.get('follow') === true,
      backup: args.get('backup') === true,
      validate: (args.get('validate') as string | null) || null,
      attributes: request.attributes,
      afterHeader: null,
    },
    ctx,
  );
  const { diff, path: _path, ...result } = written;
  if (written.failed) {
    // The copy action adds `diff` and `checksum` to a failure; the copy module alone does not.
    const { checksum: _checksum, ...failure } = result;
    return failure as ModuleResult;
  }
  const sameContent = !Array.isArray(diff) || diff.length === 0;
  const text = content.toString('utf8');
  return {
    ...result,
    md5sum: createHash('md5').update(content).digest('hex'),
    ...(ctx.diff ? { diff: sameContent ? { before: text, after: text, before_header: String(result['dest']) } : (diff as unknown[])[0] } : {}),
  } as ModuleResult;
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  // The action turns check mode away before anything else (`_supports_check_mode = False`).
  if (ctx.check) return { changed: false, skipped: true, msg: 'check mode is not supported for this task.' };
  const src = args.get('src') as string | null;
  const dest = args.get('dest') as string | null;
  if (src === null || dest === null) return fail('src and dest are required');
  const regexp = args.get('regexp') as string | null;
  const delimiter = args.get('delimiter') as string | null;
  let request: Request;
  try {
    request = {
      src: expandUser(src, ctx),
      dest: expandUser(dest, ctx),
      choice: { regexp: compileFragmentRegexp(regexp), ignoreHidden: args.get('ignore_hidden') === true },
      delimiters: delimiter ? delimiterSequence(delimiter) : [],
      attributes: attributeWantsFrom(args),
    };
  } catch (error) {
    if (error instanceof PluginError) return fail(`Invalid Regexp (${error.message}) in "${regexp}"`);
    const problem = problemMessage(error);
    if (problem) return problem;
    throw error;
  }
  try {
    if (args.get('remote_src') === true) return await onHost(args, request, ctx);
    return await fromController(args, { ...request, src }, ctx);
  } catch (error) {
    const problem = problemMessage(error);
    if (problem) return problem;
    throw error;
  }
}

export const assembleModule: ModuleDef = {
  name: 'assemble',
  spec,
  supportsCheckMode: true,
  // With remote_src the action runs the assemble module; without, copy or file with other arguments (not reported yet).
  invocation: (given, args) => (args.get('remote_src') === true ? paramsInvocation(spec, given, args, ['decrypt', 'follow']) : null),
  run,
};
