import { interpreterCandidates } from '../../facts/python.js';
import { ShlexError, shlexSplit } from '../../shell/shlex.js';
import type { Args, ArgSpec } from '../argspec.js';
import { expandUser } from '../files/paths.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { missingExecutable } from './bin-path.js';
import { addOutputLines } from './low-level.js';
import { moduleFailure } from './module-failure.js';
import { hasVersionSpecifier, isPresent, makePackage, MarkerNotSupported, recoverPackageNames, type Package } from './pip-requirement.js';
import { pipScript, type PipSource, type VenvCreation } from './pip-shell.js';

// modules/pip.py main()
const spec: ArgSpec = {
  options: {
    state: { type: 'str', default: 'present', choices: ['present', 'absent', 'latest', 'forcereinstall'] },
    name: { type: 'list', elements: 'str' },
    version: { type: 'str' },
    requirements: { type: 'str' },
    virtualenv: { type: 'path' },
    virtualenv_site_packages: { type: 'bool', default: false },
    virtualenv_command: { type: 'path', default: 'virtualenv' },
    virtualenv_python: { type: 'str' },
    extra_args: { type: 'str' },
    editable: { type: 'bool', default: false },
    chdir: { type: 'path' },
    executable: { type: 'path' },
    umask: { type: 'str' },
  },
  requiredOneOf: [['name', 'requirements']],
  mutuallyExclusive: [['name', 'requirements'], ['executable', 'virtualenv']],
};

const STATE_WORDS: Record<string, string[]> = {
  present: ['install'],
  absent: ['uninstall', '-y'],
  latest: ['install', '-U'],
  forcereinstall: ['install', '-U', '--force-reinstall'],
};

const VCS = /^(svn|git|hg|bzr)\+/;

class PipFailure extends Error {
  constructor(readonly result: ModuleResult) {
    super(String(result.msg));
  }
}

const fail = (msg: string, extra: Record<string, unknown> = {}): never => {
  throw new PipFailure({ ...extra, failed: true, msg, changed: false });
};

/** int(umask, 8), with Python's message when it is not octal. */
function parseUmask(text: string | null): number | null {
  if (!text) return null;
  const match = /^\s*([+-]?)(?:0o)?([0-7](?:_?[0-7])*)\s*$/i.exec(text);
  if (!match) return fail('umask must be an octal integer', { details: `invalid literal for int() with base 8: '${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` });
  return Number.parseInt(`${match[1] ?? ''}${(match[2] as string).replace(/_/g, '')}`, 8);
}

/** posixpath.join(a, b). */
const joinPath = (a: string, b: string): string => (b.startsWith('/') ? b : a === '' || a.endsWith('/') ? a + b : `${a}/${b}`);

/** The packages main() builds from `name` and `version`, with its refusals. */
function packagesOf(names: readonly string[], version: string | null): Package[] {
  const packages = recoverPackageNames(names).map((text) => makePackage(text));
  if (version === null) return packages;
  if (packages.length > 1) fail("'version' argument is ambiguous when installing multiple package distributions. Please specify version restrictions next to each package in 'name' argument.");
  const first = packages[0] as Package;
  if (hasVersionSpecifier(first)) fail("The 'version' argument conflicts with any version specifier provided along with a package name. Please keep the version specifier, but remove the 'version' argument.");
  return [makePackage(first.text, version)];
}

/** main()'s editable handling: `-e` joins extra_args split on single spaces. */
function withEditable(extraArgs: string | null, editable: boolean): string | null {
  if (!editable) return extraArgs;
  const words = extraArgs ? extraArgs.split(' ') : [];
  return words.includes('-e') ? extraArgs : [...words, '-e'].join(' ');
}

function creationOf(args: Args, ctx: ModuleContext): VenvCreation {
  const command = expandUser(args.get('virtualenv_command') as string, ctx);
  const python = args.get('virtualenv_python') as string | null;
  const isVenvModule = ['pyvenv', '-m venv'].some((marker) => command.includes(marker));
  return {
    words: shlexSplit(command),
    sitePackages: args.get('virtualenv_site_packages') === true,
    python: isVenvModule ? null : python ? { given: python } : 'interpreter',
    pythonConflict: isVenvModule && Boolean(python),
  };
}

function sourceOf(args: Args, ctx: ModuleContext, venv: string | null): PipSource {
  const executable = args.get('executable') as string | null;
  if (executable !== null) {
    const path = expandUser(executable, ctx);
    return path.startsWith('/') ? { kind: 'path', path } : { kind: 'search', name: path };
  }
  if (venv !== null) return { kind: 'venv' };
  return { kind: 'interpreter' };
}

/** _fail: the command, and pip's output as its message. */
function commandFailure(cmd: string[] | string, out: string, err: string): never {
  let msg = out ? `stdout: ${out}` : '';
  if (err) msg += `\n:stderr: ${err}`;
  throw new PipFailure({ cmd, failed: true, msg, changed: false });
}

const outputs = (output: RemoteOutput, key: string): [string, string] => [field(output, `${key}_out`), field(output, `${key}_err`)];

/** The pip command _get_pip found, as the module's list of words. */
function pipWords(output: RemoteOutput, args: Args, venv: string | null): string[] {
  if (output.fields.has('no_pip')) {
    const executable = args.get('executable') as string | null;
    fail(`Unable to find any of ${executable ?? 'pip3'} to use.  pip needs to be installed.`);
  }
  if (output.fields.has('no_venv_pip')) fail(`Unable to find pip in the virtualenv, ${venv ?? ''}, under any of these names: pip3, pip. Make sure pip is present in the virtualenv.`);
  const pip = field(output, 'pip');
  return output.fields.has('pip_module') ? [pip, '-m', 'pip.__main__'] : [pip];
}

/** _get_packages' answer: the command as a string, its output, or its failure. */
function listed(output: RemoteOutput, key: string, pip: string[]): { command: string; out: string; err: string } {
  if (field(output, `${key}_rc`) === '0') return { command: [...pip, 'list', '--format=freeze'].join(' '), ...pair(outputs(output, key)) };
  const [out, err] = outputs(output, `${key}_freeze`);
  if (field(output, `${key}_freeze_rc`) !== '0') commandFailure([...pip, 'freeze'], out, err);
  return { command: [...pip, 'freeze'].join(' '), out, err };
}

const pair = ([out, err]: [string, string]): { out: string; err: string } => ({ out, err });

/** setup_virtualenv's failures and output, when the script made the venv. */
function creationOutput(output: RemoteOutput, creation: VenvCreation, venv: string): { out: string; err: string } {
  if (output.fields.has('venv_missing_bin')) fail(missingExecutable(creation.words[0] ?? '', field(output, 'venv_missing_bin')));
  const bin = field(output, 'venv_bin');
  if (output.fields.has('help_rc') && field(output, 'help_rc') !== '0') {
    const [out, err] = outputs(output, 'help');
    fail(`Could not get output from ${bin} --help: ${out}${err}`);
  }
  if (output.fields.has('venv_python_conflict')) fail('virtualenv_python should not be used when using the venv module or pyvenv as virtualenv_command');
  const [out, err] = outputs(output, 'venv');
  if (field(output, 'venv_rc') !== '0') {
    const python = creation.python === 'interpreter' ? (output.fields.has('python') ? [`-p${field(output, 'python')}`] : []) : creation.python ? [`-p${creation.python.given}`] : [];
    const flags = creation.sitePackages ? ['--system-site-packages'] : output.fields.has('venv_no_site') ? ['--no-site-packages'] : [];
    commandFailure([bin, ...creation.words.slice(1), ...flags, ...python, venv], out, err);
  }
  return { out, err };
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  try {
    return await runPip(args, ctx);
  } catch (error) {
    if (error instanceof PipFailure) return error.result;
    if (error instanceof MarkerNotSupported) return { failed: true, changed: false, msg: `fleet's pip module does not take environment markers in name ('${error.message}'); leave the marker out or run this task with ansible-playbook` };
    // shlex.split of extra_args or virtualenv_command with an unbalanced quote raises.
    if (error instanceof ShlexError) return moduleFailure({ stdout: '', stderr: `ValueError: ${error.message}\n`, rc: 1 });
    throw error;
  }
}

async function runPip(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const state = args.get('state') as string;
  const names = args.get('name') as string[] | null;
  const version = args.get('version') as string | null;
  const requirements = args.get('requirements') as string | null;
  const givenChdir = args.get('chdir') === null ? null : expandUser(args.get('chdir') as string, ctx);
  const givenVenv = args.get('virtualenv') === null ? null : expandUser(args.get('virtualenv') as string, ctx);
  const venv = givenVenv !== null && givenChdir !== null ? joinPath(givenChdir, givenVenv) : givenVenv;
  const umask = parseUmask(args.get('umask') as string | null);
  if (state === 'latest' && version !== null) fail('version is incompatible with state=latest');

  // main() reads the names after making the venv and finding pip: its answers wait for those.
  let packages: Package[] | null = null;
  let answerAfterPip: ModuleResult | null = null;
  try {
    packages = names && names.length > 0 ? packagesOf(names, version) : null;
  } catch (error) {
    if (!(error instanceof PipFailure)) throw error;
    answerAfterPip = error.result;
  }
  const extraArgs = withEditable(args.get('extra_args') as string | null, args.get('editable') === true);
  const words = [...(STATE_WORDS[state] as string[]), ...(extraArgs ? shlexSplit(extraArgs) : [])];
  if (packages) words.push(...packages.map((p) => p.text));
  else if (requirements) words.push('-r', requirements);
  else answerAfterPip ??= { changed: false, warnings: ['No valid name or requirements file found.'] };
  // Check mode answers without listing when pip alone could tell (pip.py).
  const blindCheck = ctx.check && (Boolean(extraArgs) || Boolean(requirements) || state === 'latest' || !packages);

  const output = await ctx.remote(
    pipScript(
      {
        chdir: givenChdir,
        umask,
        venv,
        creation: venv !== null && !ctx.check ? creationOf(args, ctx) : null,
        source: sourceOf(args, ctx, venv),
        interpreters: interpreterCandidates(ctx.vars.get('ansible_python_interpreter')),
        stopAfter: answerAfterPip !== null || blindCheck ? 'pip' : ctx.check ? 'list' : null,
        args: words,
        compareLists: Boolean(requirements) || (names ?? []).some((n) => VCS.test(n)),
      },
      ctx.userland,
    ),
    { readOnly: ctx.check },
  );
  if (output.fields.has('no_temp')) fail('fleet could not make a temp file for the output of pip');
  const venvCreated = field(output, 'venv_exists') === '0';
  if (ctx.check && venvCreated) return { changed: true };
  const made = venvCreated && venv !== null ? creationOutput(output, creationOf(args, ctx), venv) : { out: '', err: '' };
  const pip = pipWords(output, args, venv);
  if (answerAfterPip !== null) return answerAfterPip;
  if (blindCheck) return { changed: true };
  if (ctx.check) {
    const list = listed(output, 'list', pip);
    const out = made.out + list.out;
    const installed = out.split('\n').filter((line) => line !== '' && !line.startsWith('You are using') && !line.startsWith('You should consider'));
    const changed = (packages ?? []).some((p) => {
      const present = isPresent(p, installed);
      return (state === 'present' && !present) || (state === 'absent' && present);
    });
    return addOutputLines({ changed, cmd: list.command, stdout: out, stderr: made.err + list.err });
  }
  const before = output.fields.has('before_rc') ? listed(output, 'before', pip).out : null;
  const cmd = [...pip, ...words];
  const [pipOut, pipErr] = outputs(output, 'run');
  const out = made.out + pipOut;
  const err = made.err + pipErr;
  const rc = field(output, 'run_rc', '1');
  const notInstalled = rc === '1' && state === 'absent' && (pipOut.includes('not installed') || pipErr.includes('not installed'));
  if (rc !== '0' && !notInstalled) commandFailure(cmd, out, err);
  let changed: boolean;
  if (state === 'absent') changed = pipOut.includes('Successfully uninstalled');
  else if (before === null) changed = pipOut.includes('Successfully installed');
  else changed = before !== listed(output, 'after', pip).out;
  return addOutputLines({
    changed: changed || venvCreated,
    cmd,
    name: names,
    version,
    state,
    requirements,
    virtualenv: venv,
    stdout: out,
    stderr: err,
  });
}

// One script per run, everything it reads read by the script itself: a loop's items may all be sent at once.
export const pip: ModuleDef = { name: 'pip', spec, supportsCheckMode: true, oneScript: true, asyncJob: true, run };
