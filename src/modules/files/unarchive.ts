import { readFile } from 'node:fs/promises';
import type { ArgSpec } from '../argspec.js';
import { paramsInvocation } from '../invocation.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import type { PyValue } from '../../template/values.js';
import { globToRegExp } from '../../inventory/fnmatch.js';
import { unvaultBytes } from '../../vault/context.js';
import { attributeWantsOrFailure } from './attributes.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { escapeDecode } from './escape-decode.js';
import { expandUser } from './paths.js';
import { asResult, pathInfo, scriptFailure } from './results.js';
import { attributesScript, unarchiveScript, type UnarchivePlan } from './unarchive-shell.js';

/**
 * lib/ansible/modules/unarchive.py's argument_spec, with the action's `decrypt` and the
 * deprecated `copy`. src and dest are checked by the action first, with its own message.
 */
const spec: ArgSpec = {
  options: {
    src: { type: 'path' },
    dest: { type: 'path' },
    // No defaults here: the action tells whether the task gave them (see moduleDefaults).
    remote_src: { type: 'bool' },
    creates: { type: 'path' },
    list_files: { type: 'bool', default: false },
    keep_newer: { type: 'bool', default: false },
    exclude: { type: 'list', elements: 'str', default: [] },
    include: { type: 'list', elements: 'str', default: [] },
    extra_opts: { type: 'list', elements: 'str', default: [] },
    validate_certs: { type: 'bool', default: true },
    io_buffer_size: { type: 'int', default: 64 * 1024 },
    copy: { type: 'bool' },
    decrypt: { type: 'bool', default: true },
    ...FILE_COMMON_OPTIONS,
  },
  mutuallyExclusive: [['include', 'exclude']],
};

/**
 * What TaskExecutor adds to an AnsibleActionFail raised with no exception in flight. The
 * action's own results (its failures, the `creates` skip) carry no module invocation.
 */
const ACTION_FAILED = { exception: 'NoneType: None\n', invocation: undefined };

const CHECK_MODE_SKIP = 'remote module (ansible.legacy.unarchive) does not support check mode when using gtar';

function strings(value: PyValue | undefined): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The action's `copy` handling: the deprecated option is remote_src negated, and not both. */
function remoteSource(args: Map<string, PyValue>): boolean | string {
  const copy = args.get('copy') ?? null;
  if (copy !== null) {
    if ((args.get('remote_src') ?? null) !== null) return "parameters are mutually exclusive: ('copy', 'remote_src')";
    return copy !== true;
  }
  return args.get('remote_src') === true;
}

/** The module's parameters: its own defaults for the options the action needs to see unset, and `decrypt` (the action removes it) at its default. */
function moduleDefaults(args: Map<string, PyValue>): Map<string, PyValue> {
  return new Map([...args, ['remote_src', args.get('remote_src') ?? false], ['copy', args.get('copy') ?? true], ['decrypt', true]]);
}

/** files_in_archive: tar's list, escapes decoded, leading `/` dropped, excluded names left out (fnmatch). */
export function archiveFiles(listing: string, excludes: readonly string[]): string[] {
  const patterns = excludes.map((pattern) => globToRegExp(pattern));
  return listing
    .split('\n')
    .filter((line, index, all) => index < all.length - 1 || line !== '')
    .map((line) => escapeDecode(Buffer.from(line, 'utf8')).toString('utf8'))
    .map((name) => (name.startsWith('/') ? name.slice(1) : name))
    .filter((name) => !patterns.some((pattern) => pattern.test(name)));
}

/**
 * ZipArchive.files_in_archive: the archive's names, each once per include it matches when
 * includes are given, else those no exclude matches (keep_newer's newer files among them).
 */
export function zipArchiveFiles(listing: string, includes: readonly string[], excludes: readonly string[]): string[] {
  const names = listing === '' ? [] : listing.replace(/\n$/, '').split('\n');
  if (includes.length > 0) {
    const patterns = includes.map((pattern) => globToRegExp(pattern));
    return names.flatMap((name) => patterns.filter((pattern) => pattern.test(name)).map(() => name));
  }
  const patterns = excludes.map((pattern) => globToRegExp(pattern));
  return names.filter((name) => !patterns.some((pattern) => pattern.test(name)));
}

/** The handler's paths set_fs_attributes_if_different visits: each file, then each top folder. */
function attributePaths(dest: string, files: readonly string[]): string[] {
  const topFolders = [...new Set(files.filter((name) => name.includes('/')).map((name) => name.split('/')[0] as string))];
  return [...files.map((name) => (dest.endsWith('/') ? `${dest}${name}` : `${dest}/${name}`)), ...topFolders.map((top) => `${dest}/${top}`)];
}

function noHandler(output: RemoteOutput, src: string): ModuleResult {
  // Ansible joins a set of reasons, in no fixed order: fleet keeps pick_handler's.
  const reasons = [...new Set(output.fields.get('reason') ?? [])];
  return { failed: true, changed: false, msg: `Failed to find handler for "${src}". Make sure the required command to extract the file is installed.\n${reasons.join('\n')}` };
}

async function run(args: Map<string, PyValue>, ctx: ModuleContext): Promise<ModuleResult> {
  const remote = remoteSource(args);
  if (typeof remote === 'string') return { failed: true, changed: false, msg: remote, ...ACTION_FAILED };
  const src = args.get('src') as string | null;
  const destArg = args.get('dest') as string | null;
  if (src === null || destArg === null) return { failed: true, changed: false, msg: 'src (or content) and dest are required', ...ACTION_FAILED };
  const wanted = attributeWantsOrFailure(args);
  if ('failure' in wanted) return wanted.failure;
  const attributes = wanted.attributes;
  const dest = expandUser(destArg, ctx);
  const creates = args.get('creates') as string | null;
  let upload: Buffer | null = null;
  let missingSource: string | null = null;
  if (!remote) {
    const found = ctx.findFile('files', src);
    if (found === null) missingSource = `Could not find or access '${src}' on the Ansible Controller.\nIf you are using a module and expect the file to exist on the remote, see the remote_src option`;
    else {
      const raw = await readFile(found);
      upload = args.get('decrypt') === true ? unvaultBytes(raw, found) : raw;
    }
  }
  const givenExcludes = strings(args.get('exclude'));
  // TgzArchive strips a trailing slash from each exclude before using it.
  const excludes = givenExcludes.map((pattern) => pattern.replace(/\/+$/, ''));
  const plan: UnarchivePlan = {
    dest,
    remoteSrc: remote ? expandUser(src, ctx) : null,
    upload,
    missingSource,
    creates: creates === null ? null : expandUser(creates, ctx),
    extraOpts: strings(args.get('extra_opts')),
    excludes,
    includes: strings(args.get('include')),
    owner: attributes.owner,
    group: attributes.group,
    hasMode: attributes.mode !== null,
    keepNewer: args.get('keep_newer') === true,
    givenExcludes,
  };
  const output = await ctx.remote(unarchiveScript(plan, ctx, attributes));
  const failure = scriptFailure(output);
  if (failure && output.fields.has('action_failed')) {
    // A file not found is an AnsibleFileNotFound in flight: the callback shows its last line.
    const exception = missingSource === null ? ACTION_FAILED : { ...ACTION_FAILED, exception: `${missingSource.split('\n').pop()}\n` };
    return { ...failure, ...exception };
  }
  if (failure) return failure;
  const outcome = field(output, 'outcome');
  if (outcome === 'creates') return { changed: false, skipped: true, msg: `skipped, since ${plan.creates} exists`, invocation: undefined };
  if (outcome === 'check') return { changed: false, skipped: true, msg: CHECK_MODE_SKIP };
  const hostSrc = field(output, 'src');
  if (outcome === 'nohandler') return noHandler(output, hostSrc);
  const handler = field(output, 'handler');
  const files = handler.startsWith('Zip')
    ? zipArchiveFiles(field(output, 'files'), plan.includes, [...givenExcludes, ...(output.fields.get('zip_newer') ?? [])])
    : archiveFiles(field(output, 'files'), excludes);
  const result: Record<string, unknown> = { handler, dest, src: hostSrc };
  if (outcome === 'extracted' || outcome === 'unpack_failed') {
    result['extract_results'] = {
      cmd: output.fields.get('extract_cmd') ?? [],
      rc: Number(field(output, 'extract_rc')),
      out: field(output, 'extract_out'),
      err: field(output, 'extract_err'),
    };
  }
  if (outcome === 'unpack_failed') return asResult({ ...result, ...pathInfo(output), failed: true, changed: false, msg: `failed to unpack ${hostSrc} to ${dest}` });
  result['changed'] = outcome === 'extracted' || outcome === 'would_extract';
  // ZipArchive's is_unarchived itemizes each member that differs, rsync-style.
  const itemized = output.fields.get('zip_diff') ?? [];
  if (itemized.length > 0) result['diff'] = { prepared: itemized.map((line) => `${line}\n`).join('') };
  let info = pathInfo(output);
  if (!ctx.check && (attributes.owner !== null || attributes.group !== null || attributes.mode !== null)) {
    const applied = await ctx.remote(attributesScript(dest, attributePaths(dest, files), ctx, attributes));
    const attributeFailure = scriptFailure(applied);
    if (attributeFailure) return asResult({ ...result, ...attributeFailure });
    if (field(applied, 'changed') === '1') result['changed'] = true;
    info = pathInfo(applied);
  }
  if (args.get('list_files') === true) result['files'] = files;
  return asResult({ ...result, ...info });
}

export const unarchiveModule: ModuleDef = {
  name: 'unarchive',
  spec,
  supportsCheckMode: true,
  // The action runs the module with src pointing at the upload.
  invocation: (given, args) => paramsInvocation(spec, given, moduleDefaults(args)),
  run,
};
