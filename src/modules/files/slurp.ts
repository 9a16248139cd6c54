import { field } from '../remote.js';
import type { Args, ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { expandUser } from './paths.js';
import { scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';

/** lib/ansible/modules/slurp.py. */
const spec: ArgSpec = { options: { src: { type: 'path', required: true, aliases: ['path'] } } };

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const source = expandUser(args.get('src') as string, ctx);
  const output = await ctx.remote(
    Script.join([
      filesLib(ctx.userland),
      sh`src=${source}`,
      // The same errno checks slurp makes on open(): missing, a directory, unreadable.
      Script.raw(`if ! [ -e "$src" ]; then fleet_fail "file not found: $src"
elif [ -d "$src" ]; then fleet_fail "source is a directory and must be a file: $src"
elif ! [ -r "$src" ]; then fleet_fail "file is not readable: $src"
fi
# Records are decoded as UTF-8 text, so the file's base64 is what gets sent.
base64 < "$src" | tr -d '\\n' | fleet_emit_stdin content`),
    ]),
  );
  const failure = scriptFailure(output);
  if (failure) return failure;
  return { changed: false, content: field(output, 'content'), source, encoding: 'base64' };
}

export const slurpModule: ModuleDef = { name: 'slurp', spec, supportsCheckMode: true, asyncJob: true, run };
