import type { Args, ArgSpec } from '../argspec.js';
import { Script, sh } from '../../shell/script.js';
import type { AttributeWants } from '../files/attributes.js';
import { asResult, scriptFailure } from '../files/results.js';
import { filesLib } from '../files/shell-lib.js';
import { EditError, readForEdit, universalNewlines, writeEdit } from '../files/text-edit.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { moduleFailure } from './module-failure.js';
import { editLimits, invalidValueMessage, LimitsFailure, type LimitWants } from './pam-limits-conf.js';

const PAM_ITEMS = ['core', 'data', 'fsize', 'memlock', 'nofile', 'rss', 'stack', 'cpu', 'nproc', 'as', 'maxlogins', 'maxsyslogins', 'priority', 'locks', 'sigpending', 'msgqueue', 'nice', 'rtprio', 'chroot'];

/** community.general 6.6's plugins/modules/pam_limits.py argument_spec. */
const spec: ArgSpec = {
  options: {
    domain: { type: 'str', required: true },
    limit_type: { type: 'str', required: true, choices: ['soft', 'hard', '-'] },
    limit_item: { type: 'str', required: true, choices: PAM_ITEMS },
    value: { type: 'str', required: true },
    use_max: { type: 'bool', default: false },
    use_min: { type: 'bool', default: false },
    backup: { type: 'bool', default: false },
    dest: { type: 'str', default: '/etc/security/limits.conf' },
    comment: { type: 'str', default: '' },
  },
};

// atomic_move keeps the file's mode and owner; the module sets none.
const NO_ATTRIBUTES: AttributeWants = { owner: null, group: null, mode: null };

/** os.path.dirname. */
const dirname = (path: string) => path.slice(0, path.lastIndexOf('/') + 1).replace(/(?<=[^/])\/+$/, '');

/** os.path.isfile and os.access(W_OK) of the file, or of its directory when it is not a file; whether it is a link. */
function accessScript(path: string): Script {
  return Script.join([
    sh`dir=${dirname(path)}`,
    Script.raw(`if [ -f "$path" ]; then
  [ -w "$path" ] || fleet_emit not_writable 1
  if [ -L "$path" ]; then fleet_emit link 1; fi
elif ! { [ -d "$dir" ] && [ -w "$dir" ]; }; then fleet_emit dir_not_writable 1; fi`),
  ]);
}

function wantsFrom(args: Args): LimitWants {
  return {
    domain: args.get('domain') as string,
    type: args.get('limit_type') as string,
    item: args.get('limit_item') as string,
    value: args.get('value') as string,
    useMax: args.get('use_max') === true,
    useMin: args.get('use_min') === true,
    comment: args.get('comment') as string,
  };
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const path = args.get('dest') as string;
  const wants = wantsFrom(args);
  const backup = args.get('backup') === true;
  try {
    const read = await readForEdit(path, NO_ATTRIBUTES, ctx, accessScript(path));
    const access = read.attributeOutput.fields;
    if (access.has('not_writable')) return { failed: true, changed: false, msg: `${path} is not writable. Use sudo` };
    if (access.has('dir_not_writable')) return { failed: true, changed: false, msg: `directory ${dirname(path)} is not writable (check presence, access rights, use sudo)` };
    if (read.isDirectory) return moduleFailure({ stdout: '', stderr: `IsADirectoryError: [Errno 21] Is a directory: '${path}'\n`, rc: 1 });
    const created = !read.exists;
    // The module creates a missing file (in check mode too) before it checks the other options.
    const early: Script[] = created ? [Script.raw(': >>"$path" || fleet_fail "could not create $path"')] : [];
    const invalid = wants.useMax && wants.useMin ? 'Cannot use use_min and use_max at the same time.' : invalidValueMessage(wants.item, wants.value);
    if (invalid !== null) {
      await prepare(path, early, ctx);
      return { failed: true, changed: false, msg: invalid };
    }
    // Then its backup, whether or not anything will change, in check mode too.
    if (backup) early.push(Script.raw('fleet_backup "$path"'));
    const backupFile = field(await prepare(path, early, ctx), 'backup_file');
    const before = read.exists ? read.text : '';
    const edit = editLimits(before, wants, path);
    // atomic_move replaces a link with the file even when nothing changed.
    if (!ctx.check && (edit.content !== before || access.has('link'))) {
      const emptySha1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
      await writeEdit({ path, readSha1: read.sha1 ?? emptySha1, content: edit.content, createParents: false, backup: false, validate: null, attributes: NO_ATTRIBUTES, replaceLink: true }, ctx);
    }
    const result: Record<string, unknown> = { changed: created || edit.changed, msg: edit.msg, diff: { before: universalNewlines(before), after: universalNewlines(edit.content) } };
    if (backup) result['backup_file'] = backupFile;
    return asResult(result);
  } catch (error) {
    if (error instanceof EditError) return asResult(error.result);
    if (error instanceof LimitsFailure) return { failed: true, changed: false, msg: error.message };
    throw error;
  }
}

/** Runs the steps that come before the module reads the file (none: no round trip). */
async function prepare(path: string, steps: Script[], ctx: ModuleContext) {
  const empty = { rc: 0, fields: new Map<string, string[]>(), stray: '', stderr: '', timedOut: false };
  if (steps.length === 0) return empty;
  const output = await ctx.remote(Script.join([filesLib(ctx.userland), sh`path=${path}`, ...steps]));
  const failure = scriptFailure(output);
  if (failure) throw new EditError(failure);
  return output;
}

export const pamLimits: ModuleDef = { name: 'pam_limits', aliases: ['community.general.pam_limits'], spec, supportsCheckMode: true, run };
