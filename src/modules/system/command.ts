import { quote } from '../../shell/quote.js';
import { splitLines } from '../../template/python/text.js';
import type { Args, ArgSpec } from '../argspec.js';
import { paramsInvocation } from '../invocation.js';
import { PyDict } from '../../template/values.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { commandScript, type CommandPlan } from './command-script.js';
import { STRERROR } from './exec-shell.js';
import { bytesRepr, cleanArgs } from './python-text.js';
import { shlexSplit, ShlexError } from '../../shell/shlex.js';
import { formatDateTime, formatDelta, readHostTime } from './timestamps.js';

// modules/command.py argument_spec; `shell` is the same module with _uses_shell set by its action.
const spec: ArgSpec = {
  options: {
    _raw_params: { type: 'str' },
    _uses_shell: { type: 'bool', default: false },
    argv: { type: 'list', elements: 'str' },
    chdir: { type: 'path' },
    executable: { type: 'str' },
    creates: { type: 'path' },
    removes: { type: 'path' },
    stdin: { type: 'str' },
    stdin_add_newline: { type: 'bool', default: true },
    strip_empty_ends: { type: 'bool', default: true },
  },
};

const str = (args: Args, name: string): string | null => {
  const value = args.get(name);
  return typeof value === 'string' ? value : null;
};

/** The command/shell module result in Ansible's key order, with the action's `_lines` keys. */
function finish(result: ModuleResult, strip: boolean): ModuleResult {
  for (const key of ['stdout', 'stderr'] as const) {
    const text = String(result[key] ?? '');
    result[key] = strip ? text.replace(/[\r\n]+$/, '') : text;
  }
  result.stdout_lines = splitLines(String(result.stdout), false);
  result.stderr_lines = splitLines(String(result.stderr), false);
  return result;
}

async function runCommand(args: Args, ctx: ModuleContext, useShell: boolean): Promise<ModuleResult> {
  const raw = str(args, '_raw_params');
  const argvArg = (args.get('argv') as string[] | null) ?? null;
  const strip = args.get('strip_empty_ends') === true;
  const warnings: string[] = [];
  const r: ModuleResult = { changed: false, stdout: '', stderr: '', rc: null, cmd: null, start: null, end: null, delta: null, msg: '' };
  const fail = (msg: string): ModuleResult => finish(Object.assign(r, { msg, failed: true }), strip);

  let executable = str(args, 'executable');
  if (!useShell && executable) {
    warnings.push(`As of Ansible 2.4, the parameter 'executable' is no longer supported with the 'command' module. Not using '${executable}'.`);
    executable = null;
  }
  if ((raw === null || raw.trim() === '') && (argvArg === null || argvArg.length === 0)) {
    r.rc = 256;
    return fail('no command given');
  }
  if (raw && argvArg && argvArg.length > 0) {
    r.rc = 256;
    return fail('only command or argv can be given, not both');
  }
  let argv: string[];
  if (useShell) {
    const text = raw || (argvArg ?? []).map((arg) => quote(arg)).join(' ');
    r.cmd = raw || argvArg;
    argv = [executable ?? shellExecutable(ctx), '-c', text];
  } else {
    try {
      argv = raw ? shlexSplit(raw) : (argvArg ?? []);
    } catch (err) {
      if (err instanceof ShlexError) return fail(err.message);
      throw err;
    }
    r.cmd = argv;
  }

  const plan: CommandPlan = {
    argv,
    expandArgv: !useShell,
    chdir: str(args, 'chdir'),
    creates: str(args, 'creates'),
    removes: str(args, 'removes'),
    stdin: stdinData(args),
    check: ctx.check,
  };
  const before = Date.now();
  const output = await ctx.remote(commandScript(plan, ctx.userland));
  const after = Date.now();
  if (warnings.length > 0) r.warnings = warnings;
  return interpret(output, plan, r, { before, after, strip });
}

function stdinData(args: Args): string | null {
  const stdin = str(args, 'stdin');
  if (!stdin) return null;
  return args.get('stdin_add_newline') === true ? `${stdin}\n` : stdin;
}

function shellExecutable(ctx: ModuleContext): string {
  const configured = ctx.vars.get('ansible_shell_executable');
  return typeof configured === 'string' && configured !== '' ? configured : '/bin/sh';
}

function interpret(
  output: RemoteOutput,
  plan: CommandPlan,
  r: ModuleResult,
  timing: { before: number; after: number; strip: boolean },
): ModuleResult {
  const { strip } = timing;
  if (output.fields.has('chdir')) {
    const errno = Number(field(output, 'chdir_errno'));
    r.msg = `Unable to change directory before execution: [Errno ${errno}] ${STRERROR[errno]}: ${bytesRepr(field(output, 'chdir'))}`;
    r.failed = true;
    return finish(r, strip);
  }
  const shoulda = plan.check ? 'Would' : 'Did';
  const skip = field(output, 'skip');
  if (skip) {
    const path = field(output, 'skip_path');
    r.msg = skip === 'creates' ? `${shoulda} not run command since '${path}' exists` : `${shoulda} not run command since '${path}' does not exist`;
    r.stdout = skip === 'creates' ? `skipped, since ${path} exists` : `skipped, since ${path} does not exist`;
    r.rc = 0;
    return finish(r, strip);
  }
  if (!output.fields.has('start') && !output.fields.has('exec_errno') && output.rc !== 0) {
    r.rc = output.rc;
    r.msg = `the command script failed on the host: ${output.stderr.trim()}`;
    r.failed = true;
    return finish(r, strip);
  }
  r.changed = true;
  if (plan.check) {
    r.rc = 0;
    r.msg = 'Command would have run if not in check mode';
    if (plan.creates === null && plan.removes === null) {
      r.skipped = true;
      r.changed = false;
    }
    return finish(r, strip);
  }
  if (output.fields.has('exec_errno')) return execFailure(output, r, strip);
  const start = readHostTime(field(output, 'start'), timing.before);
  const end = readHostTime(field(output, 'end'), timing.after);
  Object.assign(r, {
    rc: Number(field(output, 'rc')),
    stdout: field(output, 'stdout'),
    stderr: field(output, 'stderr'),
    start: formatDateTime(start),
    end: formatDateTime(end),
    delta: formatDelta(end.epochMicros - start.epochMicros),
  });
  if (r.rc !== 0) {
    r.msg = 'non-zero return code';
    r.failed = true;
  }
  return finish(r, strip);
}

/** run_command's OSError path: fail_json(rc=errno, stdout, stderr, msg, cmd) and nothing else. */
function execFailure(output: RemoteOutput, r: ModuleResult, strip: boolean): ModuleResult {
  const errno = Number(field(output, 'exec_errno'));
  const argv = output.fields.get('arg') ?? [];
  const result: ModuleResult = {
    changed: false,
    cmd: cleanArgs(argv),
    failed: true,
    msg: `[Errno ${errno}] ${STRERROR[errno]}: ${bytesRepr(argv[0] ?? '')}`,
    rc: errno,
    stderr: '',
    stdout: '',
  };
  if (r.warnings) result.warnings = r.warnings;
  return finish(result, strip);
}

export const command: ModuleDef = {
  name: 'command',
  spec,
  freeForm: true,
  supportsCheckMode: true,
  oneScript: true,
  asyncJob: true,
  run: (args, ctx) => runCommand(args, ctx, false),
};

export const shell: ModuleDef = {
  name: 'shell',
  spec,
  freeForm: true,
  supportsCheckMode: true,
  oneScript: true,
  asyncJob: true,
  // The shell action runs the command module with `_uses_shell` added to the task's arguments.
  invocation: (given, args) => paramsInvocation(spec, new PyDict([...given, ['_uses_shell', true]]), new Map(args).set('_uses_shell', true)),
  run: (args, ctx) => runCommand(args, ctx, true),
};
