import { Script, sh } from '../../shell/script.js';
import type { ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { moduleFailure } from './module-failure.js';

// modules/ping.py
const spec: ArgSpec = { options: { data: { type: 'str', default: 'pong' } } };

/** ping.py's `data: crash`: the module raises `Exception("boom")` on the host. */
const CRASH = Script.raw("printf '%s\\n' 'Exception: boom' >&2; exit 1");

/**
 * ping: one round trip in which the host's shell echoes `data` back, so a `pong` proves the
 * connection and the shell work (Ansible's proves its Python does). Never changed.
 */
export const ping: ModuleDef = {
  name: 'ping',
  spec,
  supportsCheckMode: true,
  asyncJob: true,
  async run(args, ctx): Promise<ModuleResult> {
    const data = args.get('data') as string | null;
    const script = data === 'crash' ? CRASH : data === null ? Script.raw(':') : sh`fleet_emit ping ${data}`;
    const output = await ctx.remote(script);
    // No echo is as much a failure as a non-zero exit: the shell did not answer as asked.
    if (output.rc !== 0 || (data !== null && !output.fields.has('ping'))) return moduleFailure({ stdout: output.stray, stderr: output.stderr, rc: output.rc });
    return { changed: false, ping: data === null ? null : field(output, 'ping') };
  },
};
