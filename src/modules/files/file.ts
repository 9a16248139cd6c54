import { field } from '../remote.js';
import { ArgumentError, type Args, type ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { attributeWantsFrom, attributeWantsScript } from './attributes.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { fileStates } from './file-shell.js';
import { detailsOf, FileOptionError } from './mode.js';
import { expandUser } from './paths.js';
import { attributeDiff, asResult, pathInfo, scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';
import { osWalkContent } from './os-walk.js';
import { timeWant, type TimeWant } from './timestamps.js';

/** lib/ansible/modules/file.py's argument_spec. */
const spec: ArgSpec = {
  options: {
    state: { type: 'str', choices: ['absent', 'directory', 'file', 'hard', 'link', 'touch'] },
    path: { type: 'path', required: true, aliases: ['dest', 'name'] },
    _original_basename: { type: 'str' },
    recurse: { type: 'bool', default: false },
    force: { type: 'bool', default: false },
    follow: { type: 'bool', default: true },
    _diff_peek: { type: 'bool' },
    src: { type: 'path' },
    modification_time: { type: 'str' },
    modification_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
    access_time: { type: 'str' },
    access_time_format: { type: 'str', default: '%Y%m%d%H%M.%S' },
    ...FILE_COMMON_OPTIONS,
  },
};

const flag = (value: unknown) => (value === true ? '1' : '0');

function timeScript(prefix: 'mtime' | 'atime', want: TimeWant): Script {
  return sh`fleet_${Script.raw(prefix)}_kind=${want.kind} fleet_${Script.raw(prefix)}_stamp=${want.kind === 'stamp' ? want.stamp : ''}`;
}

/**
 * keep_backward_compatibility_on_timestamps: unset times mean `now` for touch and
 * `preserve` otherwise; an explicit `state` decides that before the host is asked.
 */
function timeWants(args: Args): { mtime: TimeWant; atime: TimeWant } {
  const defaultKind = args.get('state') === 'touch' ? 'now' : 'preserve';
  return {
    mtime: timeWant(args.get('modification_time') as string | null, args.get('modification_time_format') as string, defaultKind),
    atime: timeWant(args.get('access_time') as string | null, args.get('access_time_format') as string, defaultKind),
  };
}

function fileScript(args: Args, ctx: ModuleContext): Script {
  const times = timeWants(args);
  const src = args.get('src') as string | null;
  return Script.join([
    filesLib(ctx.userland),
    fileStates(ctx.userland),
    attributeWantsScript(attributeWantsFrom(args)),
    sh`fleet_check=${ctx.check ? '1' : '0'} fleet_changed=0 path=${expandUser(args.get('path') as string, ctx)} state=${(args.get('state') as string | null) ?? ''}`,
    sh`src=${src === null ? '' : expandUser(src, ctx)} has_src=${src === null ? '0' : '1'} obase=${(args.get('_original_basename') as string | null) ?? ''}`,
    sh`recurse=${flag(args.get('recurse'))} force=${flag(args.get('force'))} follow=${flag(args.get('follow'))}`,
    timeScript('mtime', times.mtime),
    timeScript('atime', times.atime),
    Script.raw('file_main'),
  ]);
}

/** Ansible's initial_diff plus attribute changes; a directory removal lists what it held. */
function fileDiff(output: RemoteOutput, path: string) {
  const states = output.fields.has('diff_before_state')
    ? { before: field(output, 'diff_before_state'), after: field(output, 'diff_after_state') }
    : undefined;
  const diff = attributeDiff(output, path, states);
  if (output.fields.has('diff_before_src')) {
    diff.before['src'] = field(output, 'diff_before_src');
    diff.after['src'] = field(output, 'diff_after_src');
  }
  for (const key of ['mtime', 'atime'] as const) {
    if (output.fields.has(`diff_before_${key}`)) {
      diff.before[key] = Number(field(output, `diff_before_${key}`));
      diff.after[key] = Number(field(output, `diff_after_${key}`));
    }
  }
  if (states?.after === 'absent' && states.before === 'directory') {
    // find saw the path as given, or with ./ in front when it starts with a dash.
    const given = field(output, 'r_path');
    const found = given.startsWith('-') ? `./${given}` : given;
    const entries = (output.fields.get('walk') ?? []).map((entry) => ({ path: given + entry.slice(1 + found.length), isDir: entry.startsWith('d') }));
    diff.before['path_content'] = osWalkContent(given, entries);
  }
  return diff;
}

function fileResult(output: RemoteOutput): ModuleResult {
  const failure = scriptFailure(output);
  const path = field(output, 'r_path', field(output, 'r_dest'));
  if (failure) {
    const extra: Record<string, unknown> = {};
    if (output.fields.has('r_path')) extra['path'] = field(output, 'r_path');
    if (output.fields.has('r_dest') && !output.fields.has('r_path')) extra['dest'] = field(output, 'r_dest');
    if (output.fields.has('r_src')) extra['src'] = field(output, 'r_src');
    if (output.fields.has('r_state')) extra['state'] = field(output, 'r_state');
    return asResult({ ...extra, ...failure, ...pathInfo(output) });
  }
  const state = field(output, 'r_state_used');
  const changed = field(output, 'changed') === '1' || output.fields.has('changed_below');
  const result: Record<string, unknown> = {};
  if (output.fields.has('r_path')) result['path'] = path;
  if (output.fields.has('r_dest')) result['dest'] = path;
  if (state === 'link' || state === 'hard') result['src'] = output.fields.has('r_src') ? field(output, 'r_src') : null;
  if (output.fields.has('r_state')) result['state'] = field(output, 'r_state');
  result['changed'] = changed;
  const noDiff = (state === 'absent' && !changed) || output.fields.has('no_diff') || output.fields.has('same_directory');
  if (!noDiff) result['diff'] = fileDiff(output, path);
  if (output.fields.has('same_directory')) {
    delete result['dest'];
    delete result['src'];
    result['path'] = path;
  }
  if (output.fields.has('warning')) result['warnings'] = output.fields.get('warning');
  return asResult({ ...result, ...pathInfo(output) });
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  let script: Script;
  try {
    script = fileScript(args, ctx);
  } catch (error) {
    if (error instanceof FileOptionError) {
      // Like fail_json, the failure carries the path's current info.
      const path = expandUser(args.get('path') as string, ctx);
      const info = await ctx.remote(Script.join([filesLib(ctx.userland), sh`fleet_path_info ${path}`]), { readOnly: true });
      return asResult({ path, ...pathInfo(info), failed: true, changed: false, msg: error.message, ...detailsOf(error) });
    }
    if (error instanceof ArgumentError) return { failed: true, changed: false, msg: error.message };
    throw error;
  }
  if (args.get('_diff_peek') !== null) {
    return { failed: true, changed: false, msg: 'fleet does not support the internal _diff_peek option' };
  }
  return fileResult(await ctx.remote(script));
}

export const fileModule: ModuleDef = { name: 'file', spec, supportsCheckMode: true, oneScript: true, asyncJob: true, run };
