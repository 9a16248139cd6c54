import { splitPy } from '../../template/python/text.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { moduleFailure } from './module-failure.js';
import { ModuleExit, runCommand } from './run-command.js';

// modules/dpkg_selections.py main()
const spec: ArgSpec = {
  options: {
    name: { type: 'str', required: true },
    selection: { type: 'str', required: true, choices: ['install', 'hold', 'deinstall', 'purge'] },
  },
};

/**
 * `dpkg --get-selections NAME`'s second word, 'not present' when it prints nothing; then, when
 * that differs and not in check mode, `NAME SELECTION` to `dpkg --set-selections`. The name dpkg
 * is asked about is expanded (`$VAR`, `~`) as run_command expands words; the line it is given is not.
 */
async function select(name: string, selection: string, ctx: ModuleContext): Promise<ModuleResult> {
  const got = await runCommand(ctx, { program: 'dpkg', words: ['--get-selections', name], checkRc: true, readOnly: true });
  const words = splitPy(got.stdout, null, -1);
  // out.split()[1] of output with fewer than two words raises.
  if (got.stdout !== '' && words.length < 2) return moduleFailure({ stdout: '', stderr: 'IndexError: list index out of range\n', rc: 1 });
  const before = got.stdout === '' ? 'not present' : (words[1] as string);
  const changed = before !== selection;
  if (changed && !ctx.check) await runCommand(ctx, { program: 'dpkg', words: ['--set-selections'], data: `${name} ${selection}`, checkRc: true });
  return { changed, before, after: selection };
}

export const dpkgSelections: ModuleDef = {
  name: 'dpkg_selections',
  spec,
  supportsCheckMode: true,
  async run(args, ctx) {
    try {
      return await select(args.get('name') as string, args.get('selection') as string, ctx);
    } catch (error) {
      if (error instanceof ModuleExit) return error.result;
      throw error;
    }
  },
};
