import { execa } from 'execa';
import { validateArgs } from '../../../src/modules/argspec.js';
import { runRemote, type ExecScript } from '../../../src/modules/remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../../../src/modules/types.js';
import { parseUserland, USERLAND_PROBE, type Userland } from '../../../src/shell/userland.js';
import { PyDict, toPy, type PyValue } from '../../../src/template/values.js';

/** Runs a script with a local `sh` child process: the host is this machine. */
export const localExec: ExecScript = async (script, options = {}) => {
  const result = await execa('sh', [], { input: script, reject: false, timeout: options.timeoutMs, stripFinalNewline: false });
  return { rc: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, timedOut: result.timedOut };
};

let probed: Userland | undefined;
export async function localUserland(): Promise<Userland> {
  probed ??= parseUserland('localhost', (await localExec(USERLAND_PROBE)).stdout);
  return probed;
}

export interface RunOptions {
  check?: boolean;
  diff?: boolean;
  vars?: Record<string, unknown>;
  facts?: PyDict;
  exec?: ExecScript;
  userland?: Userland;
  templar?: ModuleContext['templar'];
  /** Every script sent to the host, for inspection (shellcheck, no-leak tests). */
  scripts?: string[];
}

export async function makeContext(options: RunOptions = {}): Promise<ModuleContext> {
  const userland = options.userland ?? (await localUserland());
  const exec = options.exec ?? localExec;
  const vars = new Map<string, PyValue>(Object.entries(options.vars ?? {}).map(([k, v]) => [k, toPy(v)]));
  return {
    host: 'localhost',
    userland,
    facts: options.facts ?? new PyDict(),
    check: options.check ?? false,
    diff: options.diff ?? false,
    templar: options.templar as ModuleContext['templar'],
    findFile: () => null,
    remote: (script, remoteOptions) => {
      options.scripts?.push(script.text());
      return runRemote(exec, userland, script, remoteOptions);
    },
    task: { name: 'test', at: { file: 'test.yml', line: 1, col: 1 } },
    vars: { get: (name) => vars.get(name) },
  };
}

/** Validates raw arguments as the executor does, then runs the module. */
export async function runModule(def: ModuleDef, rawArgs: Record<string, unknown>, options: RunOptions = {}): Promise<ModuleResult> {
  const args = validateArgs(def.spec, toPy(rawArgs) as PyDict, def.name);
  return def.run(args, await makeContext(options));
}
