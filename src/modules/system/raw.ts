import type { ArgSpec } from '../argspec.js';
import type { ModuleDef } from '../types.js';
import { lowLevelResult, lowLevelScript } from './low-level.js';

// modules/raw.py (an action plugin): the text goes to the host's shell untouched.
const spec: ArgSpec = {
  options: {
    _raw_params: { type: 'str' },
    executable: { type: 'str' },
  },
};

/**
 * raw. Ansible hands the text to the connection (over SSH: the login shell); fleet runs it
 * with /bin/sh -c, or `executable -c` when given. As raw.py: the task's `environment` is not
 * applied (a warning says so), and in check mode the action skips itself, with no message.
 */
export const raw: ModuleDef = {
  name: 'raw',
  invocation: false,
  spec,
  freeForm: true,
  supportsCheckMode: true,
  ignoresEnvironment: true,
  async run(args, ctx) {
    if (ctx.check) return { skipped: true };
    const text = (args.get('_raw_params') as string | null) ?? '';
    const executable = (args.get('executable') as string | null) || null;
    return lowLevelResult(await ctx.remote(lowLevelScript(text, executable)));
  },
};
