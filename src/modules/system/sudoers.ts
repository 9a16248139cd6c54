import type { Args, ArgSpec } from '../argspec.js';
import { captured } from '../../shell/capture.js';
import { Script, sh } from '../../shell/script.js';
import type { AttributeWants } from '../files/attributes.js';
import { asResult, scriptFailure } from '../files/results.js';
import { filesLib } from '../files/shell-lib.js';
import { EditError, readForEdit, universalNewlines, writeEdit } from '../files/text-edit.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { BIN_PATH, missingExecutable } from './bin-path.js';

/** community.general 6.6's plugins/modules/sudoers.py argument_spec. */
const spec: ArgSpec = {
  options: {
    commands: { type: 'list', elements: 'str' },
    group: { type: 'str' },
    name: { type: 'str', required: true },
    nopassword: { type: 'bool', default: true },
    setenv: { type: 'bool', default: false },
    host: { type: 'str', default: 'ALL' },
    runas: { type: 'str' },
    sudoers_path: { type: 'str', default: '/etc/sudoers.d' },
    state: { type: 'str', default: 'present', choices: ['present', 'absent'] },
    user: { type: 'str' },
    validation: { type: 'str', default: 'detect', choices: ['absent', 'detect', 'required'] },
  },
  mutuallyExclusive: [['user', 'group']],
  requiredIf: [['state', 'present', ['commands']]],
};

/** Sudoers.FILE_MODE, which write() sets and matches() wants. */
const FILE_MODE: AttributeWants = { owner: null, group: null, mode: { kind: 'octal', value: 0o440 } };

class SudoersFailure extends Error {}

/** os.path.join(sudoers_path, name). */
function joinPath(directory: string, name: string): string {
  if (name.startsWith('/') || directory === '') return name;
  return directory.endsWith('/') ? `${directory}${name}` : `${directory}/${name}`;
}

/** os.path.dirname. */
const dirname = (path: string) => path.slice(0, path.lastIndexOf('/') + 1).replace(/(?<=[^/])\/+$/, '');

/** Sudoers.content(), or null where it raises: with neither user nor group, its `owner` is unbound. */
function content(args: Args): string | null {
  const str = (name: string) => (args.get(name) as string | null) ?? null;
  const owner = str('user') ? str('user') : str('group') ? `%${str('group')}` : null;
  if (owner === null) return null;
  const runas = str('runas');
  const commands = (args.get('commands') as string[]).join(', ');
  const tags = `${args.get('nopassword') === true ? 'NOPASSWD:' : ''}${args.get('setenv') === true ? 'SETENV:' : ''}`;
  return `${owner} ${str('host')}=${runas !== null ? `(${runas})` : ''}${tags} ${commands}\n`;
}

const UNBOUND_OWNER = "cannot access local variable 'owner' where it is not associated with a value";

/**
 * validate(): unless validation is absent, get_bin_path('visudo') and `visudo -c -f -` on the
 * rule (run_command's data, which gets a newline added); with no rule, only whether visudo is there.
 */
function validateScript(rule: string | null, validation: string): Script {
  if (validation === 'absent') return Script.raw(':');
  const check = rule === null ? Script.raw('fleet_emit visudo_found 1') : captured(Script.raw('"$fleet_bin" -c -f -'), { prefix: 'visudo_', stdin: Buffer.from(`${rule}\n`, 'utf8') });
  return Script.join([
    BIN_PATH,
    Script.raw('if fleet_bin_path visudo; then'),
    Script.concat(['  ', check, ' || :']),
    Script.raw('else fleet_emit visudo_missing "$fleet_bin_paths"; fi'),
  ]);
}

/** The file as present() sees it (with the validation's records), and where a symlink points. */
async function readRule(file: string, rule: string | null, validation: string, ctx: ModuleContext) {
  const alongside = Script.join([validateScript(rule, validation), sh`[ -d ${dirname(file) || '.'} ] || fleet_emit no_dir 1`, Script.raw('if [ -L "$path" ]; then fleet_realpath "$path"; fleet_emit real "$fleet_real"; fi')]);
  return readForEdit(file, FILE_MODE, ctx, alongside);
}

async function present(given: string, args: Args, ctx: ModuleContext): Promise<boolean> {
  const validation = args.get('validation') as string;
  const rule = content(args);
  let file = given;
  let read = await readRule(file, rule, validation, ctx);
  // The module opens, stats and chmods the file through a link: fleet reads and writes its target.
  if (read.attributeOutput.fields.has('real')) {
    file = field(read.attributeOutput, 'real');
    read = await readRule(file, rule, validation, ctx);
  }
  const output = read.attributeOutput;
  if (output.fields.has('visudo_missing') && validation === 'required') throw new SudoersFailure(missingExecutable('visudo', field(output, 'visudo_missing')));
  if (output.fields.has('visudo_found')) throw new SudoersFailure(UNBOUND_OWNER);
  if (output.fields.has('visudo_rc') && field(output, 'visudo_rc') !== '0') throw new SudoersFailure(`Failed to validate sudoers rule:\n${field(output, 'visudo_stdout')}`);
  // matches() reads the file, then builds the rule.
  if (read.isDirectory) throw new SudoersFailure(`[Errno 21] Is a directory: '${given}'`);
  if (read.exists && rule === null) throw new SudoersFailure(UNBOUND_OWNER);
  if (read.exists && universalNewlines(read.text) === rule && !read.attributesPending) return false;
  if (ctx.check) return true;
  if (output.fields.has('no_dir')) throw new SudoersFailure(`[Errno 2] No such file or directory: '${given}'`);
  if (rule === null) throw new SudoersFailure(UNBOUND_OWNER);
  // write() rewrites the file in place: it keeps its owner, as the temp file fleet renames onto it does.
  await writeEdit({ path: file, readSha1: read.sha1, content: rule, createParents: false, backup: false, validate: null, attributes: FILE_MODE }, ctx);
  return true;
}

async function absent(file: string, ctx: ModuleContext): Promise<boolean> {
  const script = Script.join([
    filesLib(ctx.userland),
    sh`file=${file} check=${ctx.check ? '1' : '0'}`,
    Script.raw(`if [ -e "$file" ]; then
  fleet_emit existed 1
  if [ -d "$file" ] && ! [ -L "$file" ]; then fleet_emit is_dir 1
  elif [ "$check" = 0 ]; then rm -f -- "$file" || fleet_fail "could not remove $file"; fi
fi`),
  ]);
  const output = await ctx.remote(script, { readOnly: ctx.check });
  const failure = scriptFailure(output);
  if (failure) throw new EditError(failure);
  if (output.fields.has('is_dir') && !ctx.check) throw new SudoersFailure(`[Errno 21] Is a directory: '${file}'`);
  return output.fields.has('existed');
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const file = joinPath(args.get('sudoers_path') as string, args.get('name') as string);
  try {
    const changed = args.get('state') === 'absent' ? await absent(file, ctx) : await present(file, args, ctx);
    return { changed };
  } catch (error) {
    if (error instanceof SudoersFailure) return { failed: true, changed: false, msg: error.message };
    if (error instanceof EditError) return asResult(error.result);
    throw error;
  }
}

export const sudoers: ModuleDef = { name: 'community.general.sudoers', spec, supportsCheckMode: true, run };
