import type { Args, ArgSpec } from '../argspec.js';
import { Script, sh } from '../../shell/script.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { attributeWantsFrom } from './attributes.js';
import { FILE_COMMON_OPTIONS } from './common-args.js';
import { moduleFailure } from '../system/module-failure.js';
import { editIni, IniNoOptionError, type IniWants } from './ini-edit.js';
import { detailsOf, FileOptionError } from './mode.js';
import { expandUser } from './paths.js';
import { asResult, pathInfo, scriptFailure } from './results.js';
import { EditError, readForEdit, writeEdit } from './text-edit.js';

/** community.general 6.6's plugins/modules/ini_file.py argument_spec (the version Debian's ansible 7 ships). */
const spec: ArgSpec = {
  options: {
    path: { type: 'path', required: true, aliases: ['dest'] },
    section: { type: 'str' },
    option: { type: 'str' },
    value: { type: 'str' },
    values: { type: 'list', elements: 'str' },
    backup: { type: 'bool', default: false },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    exclusive: { type: 'bool', default: true },
    no_extra_spaces: { type: 'bool', default: false },
    allow_no_value: { type: 'bool', default: false },
    create: { type: 'bool', default: true },
    ...FILE_COMMON_OPTIONS,
  },
  mutuallyExclusive: [['value', 'values']],
};

function valuesFrom(args: Args): string[] {
  const value = args.get('value') as string | null;
  return value !== null ? [value] : ((args.get('values') as string[] | null) ?? []);
}

function wantsFrom(args: Args): IniWants {
  return {
    section: (args.get('section') as string | null) ?? null,
    option: (args.get('option') as string | null) ?? null,
    values: valuesFrom(args),
    present: args.get('state') === 'present',
    exclusive: args.get('exclusive') === true,
    noExtraSpaces: args.get('no_extra_spaces') === true,
    allowNoValue: args.get('allow_no_value') === true,
  };
}

/** os.path.dirname. */
const dirname = (path: string) => path.slice(0, path.lastIndexOf('/') + 1).replace(/(?<=[^/])\/+$/, '');

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const path = expandUser(args.get('path') as string, ctx);
  const wants = wantsFrom(args);
  if (wants.present && !wants.allowNoValue && args.get('value') === null && wants.values.length === 0) {
    return { failed: true, changed: false, msg: "Parameter 'value(s)' must be defined if state=present and allow_no_value=False." };
  }
  try {
    const attributes = attributeWantsFrom(args);
    const read = await readForEdit(path, attributes, ctx, Script.raw('fleet_path_info "$path"'));
    // The module dies on these (io.open of a directory, os.makedirs('')), as a MODULE FAILURE.
    if (read.isDirectory) return moduleFailure({ stdout: '', stderr: `IsADirectoryError: [Errno 21] Is a directory: '${path}'\n`, rc: 1 });
    if (!read.exists && args.get('create') !== true) return { failed: true, changed: false, rc: 257, msg: `Destination ${path} does not exist!` };
    if (!read.exists && !ctx.check && dirname(path) === '') return moduleFailure({ stdout: '', stderr: "FileNotFoundError: [Errno 2] No such file or directory: ''\n", rc: 1 });
    const edit = editIni(read.exists ? read.text : '', wants);
    const diff = { before: ctx.diff ? edit.before : '', after: ctx.diff ? edit.after : '', before_header: `${path} (content)`, after_header: `${path} (content)` };
    let changed = edit.changed;
    let backupFile: string | null = null;
    let info = pathInfo(read.attributeOutput);
    if (!ctx.check && (changed || (read.exists && read.attributesPending))) {
      const backup = changed && args.get('backup') === true;
      const outcome = await writeEdit(
        { path, readSha1: read.sha1, content: changed ? edit.after : null, createParents: true, backup, validate: null, attributes, replaceLink: true, reportPathInfo: true },
        ctx,
      );
      if (backup) backupFile = outcome.backupFile;
      changed ||= outcome.attributesChanged;
      info = pathInfo(outcome.output);
    } else if (!ctx.check && !read.exists) {
      // do_ini makes the file's directory before it knows whether it will write the file.
      const failure = scriptFailure(await ctx.remote(sh`mkdir -p -- ${dirname(path)}`));
      if (failure) return failure;
    }
    // exit_json's add_path_info: the file's owner, mode, size… when it exists.
    const result: Record<string, unknown> = { changed, diff, msg: edit.msg, path, ...info };
    if (backupFile !== null) result['backup_file'] = backupFile;
    return asResult(result);
  } catch (error) {
    if (error instanceof EditError) return asResult(error.result);
    if (error instanceof IniNoOptionError) return moduleFailure({ stdout: '', stderr: `${error.message}\n`, rc: 1 });
    if (error instanceof FileOptionError) return { failed: true, changed: false, path, msg: error.message, ...detailsOf(error) };
    throw error;
  }
}

export const iniFileModule: ModuleDef = { name: 'ini_file', aliases: ['community.general.ini_file'], spec, supportsCheckMode: true, run };
