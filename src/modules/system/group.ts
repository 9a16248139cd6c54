import { Script, sh } from '../../shell/script.js';
import type { ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { addOutputLines } from './low-level.js';

// modules/group.py argument_spec
const spec: ArgSpec = {
  options: {
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    name: { type: 'str', required: true },
    gid: { type: 'int' },
    system: { type: 'bool', default: false },
    local: { type: 'bool', default: false },
    non_unique: { type: 'bool', default: false },
  },
  requiredIf: [['non_unique', true, ['gid']]],
};

/**
 * Per-system commands (group.py's Group and DarwinGroup): `fleet_group_gid` prints the gid
 * of an existing group (NSS, or /etc/group with local), add/mod/del change it.
 */
function systemFunctions(ctx: ModuleContext, local: boolean): Script {
  if (ctx.userland.system === 'Darwin') {
    return Script.raw(`fleet_group_gid() { dscl . -read "/Groups/$1" PrimaryGroupID 2>/dev/null | awk '{ print $2 }' | grep . ; }
fleet_group_add() { set -- -o create \${fleet_gid:+-i "$fleet_gid"} "$fleet_name"; dseditgroup "$@"; }
fleet_group_mod() { dseditgroup -o edit -i "$fleet_gid" "$fleet_name"; }
fleet_group_del() { dseditgroup -o delete "$fleet_name"; }`);
  }
  const prefix = local ? 'l' : '';
  const lookup = local
    ? `awk -F: -v n="$1" '$1 == n { gid = $3 } END { if (gid == "") exit 1; print gid }' /etc/group`
    : `getent group "$1" | cut -d: -f3 | grep .`;
  return Script.raw(`fleet_group_gid() { ${lookup}; }
fleet_group_add() {
  set -- "$fleet_name"
  [ "$fleet_system" != 1 ] || set -- -r "$@"
  if [ -n "$fleet_gid" ]; then if [ "$fleet_non_unique" = 1 ]; then set -- -o "$@"; fi; set -- -g "$fleet_gid" "$@"; fi
  ${prefix}groupadd "$@"
}
fleet_group_mod() { if [ "$fleet_non_unique" = 1 ]; then ${prefix}groupmod -g "$fleet_gid" -o "$fleet_name"; else ${prefix}groupmod -g "$fleet_gid" "$fleet_name"; fi; }
fleet_group_del() { ${prefix}groupdel "$fleet_name"; }`);
}

// One round trip: look, change when needed (unless checking), report the final gid.
const BODY = `fleet_run() {
  fleet_out=$(mktemp) && fleet_err=$(mktemp) || exit 1
  "$@" >"$fleet_out" 2>"$fleet_err"; fleet_emit rc "$?"
  fleet_emit_file stdout "$fleet_out"; fleet_emit_file stderr "$fleet_err"; rm -f "$fleet_out" "$fleet_err"
}
if fleet_current=$(fleet_group_gid "$fleet_name"); then
  if [ "$fleet_state" = absent ]; then
    if [ "$fleet_check" = 1 ]; then fleet_emit check_change 1; else fleet_run fleet_group_del; fi
  elif [ -n "$fleet_gid" ] && [ "$fleet_current" != "$fleet_gid" ]; then
    if [ "$fleet_check" = 1 ]; then fleet_emit rc 0; else fleet_run fleet_group_mod; fi
  fi
elif [ "$fleet_state" = present ]; then
  if [ "$fleet_check" = 1 ]; then fleet_emit check_change 1; else fleet_run fleet_group_add; fi
fi
if fleet_final=$(fleet_group_gid "$fleet_name"); then fleet_emit gid "$fleet_final"; fi`;

export const group: ModuleDef = {
  name: 'group',
  spec,
  supportsCheckMode: true,
  asyncJob: true,
  async run(args, ctx): Promise<ModuleResult> {
    const name = args.get('name') as string;
    const state = args.get('state') as string;
    const gid = args.get('gid');
    const flag = (key: string): string => (args.get(key) === true ? '1' : '0');
    const output = await ctx.remote(
      Script.join([
        Script.raw('('),
        sh`fleet_name=${name} fleet_state=${state} fleet_gid=${gid === null ? '' : String(gid)} fleet_system=${flag('system')} fleet_non_unique=${flag('non_unique')} fleet_check=${ctx.check ? '1' : '0'}`,
        systemFunctions(ctx, args.get('local') === true),
        Script.raw(BODY),
        Script.raw(')'),
      ]),
    );
    if (output.fields.has('check_change')) return { changed: true };
    const result: ModuleResult = { name, state };
    const rc = output.fields.has('rc') ? Number(field(output, 'rc')) : null;
    const stdout = field(output, 'stdout');
    const stderr = field(output, 'stderr');
    if (rc !== null && rc !== 0) return { name, failed: true, msg: stderr, changed: false };
    result.changed = rc !== null;
    if (stdout) result.stdout = stdout;
    if (stderr) result.stderr = stderr;
    if (output.fields.has('gid')) {
      result.system = args.get('system') === true;
      result.gid = Number(field(output, 'gid'));
    }
    return addOutputLines(result);
  },
};
