import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { quote } from '../../shell/quote.js';
import { Script, sh } from '../../shell/script.js';
import type { ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { lowLevelResult, lowLevelScript } from './low-level.js';
import { shlexSplit, ShlexError } from '../../shell/shlex.js';

// modules/script.py options (plugins/action/script.py does the work).
const spec: ArgSpec = {
  options: {
    _raw_params: { type: 'str' },
    cmd: { type: 'str' },
    creates: { type: 'str' },
    removes: { type: 'str' },
    chdir: { type: 'str' },
    executable: { type: 'str' },
    decrypt: { type: 'bool', default: true },
  },
};

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/**
 * script: a controller-side file copied to a temporary directory on the host and run there
 * with the rest of the free-form text as (shell-parsed) arguments, all in one round trip.
 */
export const script: ModuleDef = {
  name: 'script',
  invocation: false,
  spec,
  freeForm: true,
  supportsCheckMode: true,
  async run(args, ctx): Promise<ModuleResult> {
    const creates = str(args.get('creates'));
    const removes = str(args.get('removes'));
    const chdir = str(args.get('chdir'));
    if (creates || removes) {
      const probe = await ctx.remote(
        Script.join([creates ? sh`[ -e ${creates} ] && fleet_emit creates 1` : Script.raw(':'), removes ? sh`[ -e ${removes} ] && fleet_emit removes 1` : Script.raw(':')]),
      );
      if (creates && field(probe, 'creates') === '1') return { skipped: true, msg: `${creates} exists, matching creates option`, changed: false };
      if (removes && field(probe, 'removes') !== '1') return { skipped: true, msg: `${removes} does not exist, matching removes option`, changed: false };
    }
    if (chdir && !chdir.startsWith('/')) return { failed: true, msg: `chdir ${chdir} must be an absolute path for a Unix-aware remote node` };
    const rawParams = (str(args.get('_raw_params')) ?? str(args.get('cmd')) ?? '').trim();
    let parts: string[];
    try {
      parts = shlexSplit(rawParams);
    } catch (err) {
      if (err instanceof ShlexError) return { failed: true, msg: err.message };
      throw err;
    }
    const source = parts[0];
    if (source === undefined) return { failed: true, msg: 'no script given' };
    const local = ctx.findFile('files', source);
    if (local === null) return { failed: true, msg: `Could not find or access '${source}'` };
    if (ctx.check) {
      return creates || removes ? { changed: true } : { changed: false, skipped: true, msg: 'Check mode is not supported for this task.' };
    }
    // action/script.py splices the uploaded file's path into the text (a mktemp path: no
    // characters the shell would interpret) and lets the shell parse the rest.
    const name = basename(local);
    const executable = str(args.get('executable'));
    const prefix = `${chdir ? `cd ${quote(chdir)} && ` : ''}${executable ? `${executable} ` : ''}`;
    // str.replace: every occurrence of the script's name becomes its uploaded path.
    const pieces = rawParams.split(source).map((piece, index) => (index === 0 ? `${prefix}${piece}` : piece));
    const text = Script.concat(pieces.flatMap((piece, index) => (index === 0 ? [sh`${piece}`] : ['"$fleet_script"', sh`${piece}`])));
    const upload = Script.join([
      Script.raw('fleet_tmpdir=$(mktemp -d) || exit 1'),
      sh`fleet_script="$fleet_tmpdir"/${name}`,
      sh`printf '%s' ${readFileSync(local).toString('base64')} | fleet_b64d >"$fleet_script" && chmod 700 "$fleet_script"`,
    ]);
    const output = await ctx.remote(lowLevelScript(text, null, { setup: upload, teardown: Script.raw('rm -rf "$fleet_tmpdir"') }));
    return lowLevelResult(output);
  },
};
