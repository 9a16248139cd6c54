import { randomInt } from 'node:crypto';
import { field } from '../remote.js';
import type { Args, ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { expandUser } from './paths.js';
import { asResult, pathInfo, scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';

/** lib/ansible/modules/tempfile.py (no check mode support, as in Ansible). */
const spec: ArgSpec = {
  options: {
    state: { type: 'str', default: 'file', choices: ['file', 'directory'] },
    path: { type: 'path' },
    prefix: { type: 'str', default: 'ansible.' },
    suffix: { type: 'str', default: '' },
  },
};

// Python tempfile's _RandomNameSequence alphabet and length.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789_';
const CANDIDATES = 20;

function randomName(): string {
  return Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const dir = args.get('path') as string | null;
  const names = Array.from({ length: CANDIDATES }, () => `${args.get('prefix') as string}${randomName()}${args.get('suffix') as string}`);
  const create =
    args.get('state') === 'file'
      ? // noclobber makes `>` fail on an existing name, like mkstemp's O_EXCL; 0600 like mkstemp.
        '( umask 077; set -C; : > "$tf_path" ) 2>/dev/null'
      : 'mkdir -m 700 -- "$tf_path" 2>/dev/null';
  const output = await ctx.remote(
    Script.join([
      filesLib(ctx.userland),
      // gettempdir(): $TMPDIR, $TEMP, $TMP, then /tmp, without a trailing slash.
      dir === null ? Script.raw('tf_dir=${TMPDIR:-${TEMP:-${TMP:-/tmp}}}; [ "$tf_dir" = / ] || tf_dir=${tf_dir%/}') : sh`tf_dir=${expandUser(dir, ctx)}`,
      Script.concat([Script.raw('for tf_name in '), Script.join(names.map((name) => sh`${name}`), ' '), Script.raw('; do')]),
      Script.raw(`  tf_path=$tf_dir/$tf_name
  if ${create}; then fleet_emit path "$tf_path"; fleet_path_info "$tf_path"; break; fi
  [ -d "$tf_dir" ] || fleet_fail "[Errno 2] No such file or directory: '$tf_path'"
done
[ -n "$tf_path" ] && true`),
    ]),
  );
  const failure = scriptFailure(output);
  if (failure) return failure;
  if (!output.fields.has('path')) return { failed: true, changed: false, msg: 'No usable temporary file name found' };
  return asResult({ changed: true, path: field(output, 'path'), ...pathInfo(output) });
}

export const tempfileModule: ModuleDef = { name: 'tempfile', spec, supportsCheckMode: false, asyncJob: true, run };
