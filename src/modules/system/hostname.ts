import { domainOf, fqdn } from '../../facts/platform.js';
import { pyRepr } from '../../template/python/repr.js';
import { PyDict } from '../../template/values.js';
import type { Args, ArgSpec } from '../argspec.js';
import { osErrorLine, osErrorText } from '../os-error.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { defaultStrategy, DETECTION_SCRIPT, STRATEGY_OF_USE, type HostnameStrategy } from './hostname-platform.js';
import { hostnameScript } from './hostname-shell.js';
import { stepFailure, strategyFor, type Failure } from './hostname-strategies.js';
import { moduleFailure } from './module-failure.js';

// modules/hostname.py main()
const spec: ArgSpec = {
  options: {
    name: { type: 'str', required: true },
    use: { type: 'str', choices: Object.keys(STRATEGY_OF_USE) },
  },
};

async function chosenStrategy(use: string | null, ctx: ModuleContext): Promise<HostnameStrategy> {
  if (use !== null) return STRATEGY_OF_USE[use] as HostnameStrategy;
  if (ctx.userland.system !== 'Linux') return defaultStrategy(ctx.userland.system, null);
  const found = await ctx.remote(DETECTION_SCRIPT, { readOnly: true });
  return defaultStrategy('Linux', { osRelease: field(found, 'os_release'), systemdManaged: found.fields.has('systemd_managed') });
}

/** A traceback ending with `line` (fleet has no Python frames to show above it). */
const traceback = (line: string): string => `Traceback (most recent call last):\n${line}\n`;

/** The module died of an uncaught exception, whose traceback ends with `line`. */
function crashed(line: string): ModuleResult {
  const stderr = traceback(line);
  // ActionBase._parse_returned_data: a traceback on stderr is the result's exception.
  return { ...moduleFailure({ stdout: '', stderr, rc: 1 }), exception: stderr };
}

/** fail_json(msg), with the traceback fail_json(exception=traceback.format_exc()) passes. */
const failedWith = (failure: Failure): ModuleResult => ({ failed: true, changed: false, msg: failure.failed, ...(failure.exception === undefined ? {} : { exception: traceback(failure.exception) }) });

/** How a script's step failed (a program missing, a command or a write that failed), or null. */
function stepFailed(output: RemoteOutput, name: string): ModuleResult | null {
  const failure = stepFailure(output, name);
  if (failure === null) return null;
  if (!('osError' in failure)) return failedWith(failure);
  const path = field(output, 'write_path');
  return failedWith({ failed: `failed to update hostname: ${osErrorText(failure.osError, path, pyRepr)}`, exception: osErrorLine(failure.osError, path, pyRepr) });
}

/** A script that did not get to its end (its getfqdn() lookups) died. */
const unfinished = (output: RemoteOutput): ModuleResult | null => (output.fields.has('nodename') ? null : moduleFailure({ stdout: output.stray, stderr: output.stderr, rc: output.rc }));

/** main()'s `name_before`: the first of the current and permanent names that is not the name. */
function nameBefore(name: string, current: string | null, permanent: string | null): string | null {
  return name !== current ? current : permanent;
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.get('name') as string;
  const choice = await chosenStrategy(args.get('use') as string | null, ctx);
  if (choice.kind === 'unimplemented') return { failed: true, changed: false, msg: `hostname module cannot be used on platform ${choice.platform}` };
  if (choice.kind === 'unsupported') return { failed: true, changed: false, msg: `fleet's hostname does not implement the ${choice.strategy} strategy (use: ${choice.strategy})` };
  const strategy = strategyFor(choice, name);
  // BaseStrategy (use: generic) has no getter: main() dies on its first call.
  if (strategy === null) return crashed('NotImplementedError');

  const read = await ctx.remote(hostnameScript(strategy.read), { readOnly: true });
  const readFailure = stepFailed(read, name);
  if (readFailure !== null) return readFailure;
  const assessed = strategy.assess(read);
  if ('failed' in assessed) return failedWith(assessed);
  const readDied = unfinished(read);
  if (readDied !== null) return readDied;
  let last = read;
  if (assessed.changed && !ctx.check) {
    if ('failed' in assessed.write) return failedWith(assessed.write);
    last = await ctx.remote(hostnameScript(assessed.write));
    const writeFailure = stepFailed(last, name) ?? unfinished(last);
    if (writeFailure !== null) return writeFailure;
  }

  const before = nameBefore(name, assessed.current, assessed.permanent);
  if (before === null) return crashed('TypeError: can only concatenate str (not "NoneType") to str');
  // socket.getfqdn() runs after the change, with the kernel's name at that time.
  const fullName = fqdn(field(last, 'nodename'), field(last, 'host_entry'));
  const facts = new PyDict([
    ['ansible_hostname', name.split('.')[0] as string],
    ['ansible_nodename', name],
    ['ansible_fqdn', fullName],
    ['ansible_domain', domainOf(fullName)],
  ]);
  const result: ModuleResult = { changed: assessed.changed, name, ansible_facts: facts };
  if (assessed.changed) result.diff = { before: `hostname = ${before}\n`, after: `hostname = ${name}\n` };
  return result;
}

/**
 * hostname: sets the host's name with hostname.py's strategy for the host (or `use`'s), and
 * returns its facts. FreeBSD's and Solaris's strategies are refused by name.
 */
export const hostname: ModuleDef = { name: 'hostname', spec, supportsCheckMode: true, run };
