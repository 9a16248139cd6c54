import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { FleetError } from '../../../src/errors.js';
import { ArgumentError, validateArgs } from '../../../src/modules/argspec.js';
import { moduleScriptText, runRemote, type ExecScript } from '../../../src/modules/remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../../../src/modules/types.js';
import { inlineLibraries } from '../../../src/shell/libraries.js';
import { parseUserland, USERLAND_PROBE, type Userland } from '../../../src/shell/userland.js';
import { Templar } from '../../../src/template/index.js';
import { PyDict, toPy } from '../../../src/template/values.js';

/** Runs a script with a local `sh` child process: the host is this machine. */
export const localExec: ExecScript = async (script, options = {}) => {
  const input = inlineLibraries(script, options.libraries);
  const result = await execa('sh', [], { input, reject: false, timeout: options.timeoutMs, stripFinalNewline: false });
  return { rc: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, timedOut: result.timedOut };
};

/** The playbook directory of the differential cases (files/, vars/), as Ansible's _find_needle sees it. */
export const PLAYBOOK_DIR = fileURLToPath(new URL('./data', import.meta.url));

function findInPlaybookDir(kind: string, path: string): string | null {
  if (isAbsolute(path)) return existsSync(path) ? path : null;
  for (const candidate of [join(PLAYBOOK_DIR, kind, path), join(PLAYBOOK_DIR, path)]) if (existsSync(candidate)) return candidate;
  return null;
}

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
  const vars = toPy(options.vars ?? {}) as PyDict;
  const templar = options.templar ?? new Templar({ vars });
  return {
    host: 'localhost',
    userland,
    facts: options.facts ?? new PyDict(),
    check: options.check ?? false,
    diff: options.diff ?? false,
    templar,
    findFile: (kind, path) => findInPlaybookDir(kind, path),
    remote: (script, remoteOptions) => {
      options.scripts?.push(moduleScriptText(script, userland));
      return runRemote(exec, userland, script, remoteOptions);
    },
    task: { name: 'test', at: { file: join(PLAYBOOK_DIR, 'test.yml'), line: 1, col: 1 } },
    vars: { get: (name) => vars.get(name) },
  };
}

// What the executor does before a module runs: arguments are templated (assert's `that` is
// read untemplated) and validated; a FleetError becomes a failed result.
export async function runModule(def: ModuleDef, rawArgs: Record<string, unknown>, options: RunOptions = {}): Promise<ModuleResult> {
  const ctx = await makeContext(options);
  try {
    const templated = new PyDict();
    for (const [key, value] of toPy(rawArgs) as PyDict) {
      templated.set(key, def.name === 'assert' && key === 'that' ? value : ctx.templar.template(value));
    }
    // set_fact takes any key: only its own options are validated, its variables pass through.
    const validated = def.name === 'set_fact' ? new PyDict([...templated].filter(([key]) => String(key) in def.spec.options)) : templated;
    const args = validateArgs(def.spec, validated, def.name);
    for (const [key, value] of templated) if (!args.has(String(key))) args.set(String(key), value);
    return await def.run(args, ctx);
  } catch (err) {
    if (err instanceof FleetError || err instanceof ArgumentError) return { failed: true, msg: err.message };
    throw err;
  }
}
