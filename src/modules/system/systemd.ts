import { Script, sh } from '../../shell/script.js';
import { PyDict } from '../../template/values.js';
import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';

// modules/systemd.py argument_spec
export const systemdSpec: ArgSpec = {
  options: {
    name: { type: 'str', aliases: ['service', 'unit'] },
    state: { type: 'str', choices: ['reloaded', 'restarted', 'started', 'stopped'] },
    enabled: { type: 'bool' },
    force: { type: 'bool' },
    masked: { type: 'bool' },
    daemon_reload: { type: 'bool', default: false, aliases: ['daemon-reload'] },
    daemon_reexec: { type: 'bool', default: false, aliases: ['daemon-reexec'] },
    scope: { type: 'str', default: 'system', choices: ['system', 'user', 'global'] },
    no_block: { type: 'bool', default: false },
  },
  requiredOneOf: [['state', 'enabled', 'masked', 'daemon_reload', 'daemon_reexec']],
};

/** systemd.py parse_systemctl_show: `Key=value` lines; Exec* values in `{ … }` may span lines. */
export function parseSystemctlShow(text: string): PyDict {
  const parsed = new PyDict();
  let key: string | null = null;
  let multival: string[] = [];
  for (const line of text.split('\n')) {
    if (key === null) {
      const eq = line.indexOf('=');
      if (eq < 0) continue;
      key = line.slice(0, eq);
      const value = line.slice(eq + 1);
      if (key.startsWith('Exec') && value.trimStart().startsWith('{') && !value.trimEnd().endsWith('}')) {
        multival.push(value);
        continue;
      }
      parsed.set(key, value.trim());
      key = null;
    } else {
      multival.push(line);
      if (line.trimEnd().endsWith('}')) {
        parsed.set(key, multival.join('\n').trim());
        multival = [];
        key = null;
      }
    }
  }
  return parsed;
}

const VALID_ENABLED_STATES = ['enabled', 'enabled-runtime', 'linked', 'linked-runtime', 'masked', 'masked-runtime', 'static', 'indirect', 'disabled', 'generated', 'transient'];

/** `systemctl` with the scope/no-block/force flags, as a shell word list in $@. */
function systemctlPrefix(args: Args): Script {
  const flags: string[] = [];
  if (args.get('scope') !== 'system') flags.push(`--${String(args.get('scope'))}`);
  if (args.get('no_block') === true) flags.push('--no-block');
  if (args.get('force') === true) flags.push('--force');
  return Script.concat(['fleet_systemctl() { systemctl', ...flags.map((flag) => sh` ${flag}`), ' "$@"; }']);
}

// What systemd.py asks systemctl before deciding anything, in one round trip.
const PROBE = `fleet_q() { fleet_o=$(fleet_systemctl "$@" 2>"$fleet_e"); fleet_emit "$1.rc" "$?"; fleet_emit "$1.out" "$fleet_o"; fleet_emit_file "$1.err" "$fleet_e"; }
fleet_e=$(mktemp) || exit 1
if [ -n "$fleet_unit" ]; then
  fleet_q show "$fleet_unit"
  fleet_o=$(fleet_systemctl is-enabled "$fleet_unit" 2>/dev/null); fleet_emit enabled.rc "$?"; fleet_emit enabled.out "$fleet_o"
  fleet_o=$(fleet_systemctl is-enabled "$fleet_unit" -l 2>/dev/null); fleet_emit enabled_l.rc "$?"; fleet_emit enabled_l.out "$fleet_o"
  fleet_o=$(fleet_systemctl list-unit-files "$fleet_unit" 2>/dev/null); fleet_emit list.rc "$?"
  [ -x "/etc/init.d/$fleet_unit" ] && fleet_emit initd 1
  for fleet_f in /etc/rc?.d/S??"$fleet_unit"; do [ -e "$fleet_f" ] && { fleet_emit sysv_enabled 1; break; }; done
fi
rm -f "$fleet_e"`;

function runScript(actions: string[][]): Script {
  return Script.join([
    Script.raw('fleet_e=$(mktemp) || exit 1'),
    ...actions.map((action) =>
      Script.concat([
        'fleet_o=$(fleet_systemctl',
        ...action.map((word) => sh` ${word}`),
        ` 2>"$fleet_e"); fleet_rc=$?; fleet_emit action ${sh`${action.join(' ')}`.text()}; fleet_emit rc "$fleet_rc"; fleet_emit out "$fleet_o"; fleet_emit_file err "$fleet_e"; [ "$fleet_rc" = 0 ] || { rm -f "$fleet_e"; exit 0; }`,
      ]),
    ),
    Script.raw('rm -f "$fleet_e"'),
  ]);
}

/**
 * systemd: daemon-reload/-reexec, then one probe (show, is-enabled) and, only when something
 * must change, one round trip running the mask/enable/start… commands systemd.py would run.
 */
export async function runSystemd(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const unit = args.get('name') as string | null;
  for (const option of ['state', 'enabled', 'masked']) {
    if (args.get(option) !== null && unit === null) return { failed: true, msg: `missing parameter(s) required by '${option}': name`, changed: false };
  }
  for (const glob of ['*', '?', '[']) {
    if (unit?.includes(glob)) return { failed: true, msg: `This module does not currently support using glob patterns, found '${glob}' in service name: ${unit}`, changed: false };
  }
  const prefix = Script.join([systemctlPrefix(args), sh`fleet_unit=${unit ?? ''}`]);
  const reloads: string[][] = ctx.check ? [] : [...(args.get('daemon_reload') === true ? [['daemon-reload']] : []), ...(args.get('daemon_reexec') === true ? [['daemon-reexec']] : [])];
  const probe = await ctx.remote(Script.join([Script.raw('('), prefix, runScript(reloads), Script.raw(PROBE), Script.raw(')')]));
  const reloadFailure = (probe.fields.get('action') ?? []).findIndex((_, i) => (probe.fields.get('rc') ?? [])[i] !== '0');
  if (reloadFailure >= 0) {
    const [action, rc, err] = [probe.fields.get('action')![reloadFailure], probe.fields.get('rc')![reloadFailure], probe.fields.get('err')?.[reloadFailure] ?? ''];
    return { failed: true, msg: `failure ${rc} during ${action}: ${err}`, changed: false };
  }
  const result: ModuleResult = { name: unit, changed: false, status: new PyDict() };
  if (unit === null) return result;
  const warnings: string[] = [];
  const showOut = field(probe, 'show.out');
  const ignored = (text: string): boolean => text.includes('Request was ignored');
  let isSystemd = false;
  if (field(probe, 'show.rc') === '0' && !ignored(showOut) && !ignored(field(probe, 'show.err'))) {
    if (showOut) {
      const status = parseSystemctlShow(showOut);
      result.status = status;
      isSystemd = status.has('LoadState') && status.get('LoadState') !== 'not-found';
      if (isSystemd && status.get('LoadState') !== 'masked' && status.has('LoadError')) {
        return { failed: true, msg: `Error loading unit file '${unit}': ${String(status.get('LoadError'))}`, changed: false };
      }
    }
  } else {
    isSystemd = VALID_ENABLED_STATES.includes(field(probe, 'enabled.out').trim()) || field(probe, 'list.rc') === '0';
  }
  const isInitd = probe.fields.has('initd');
  const found = isSystemd || isInitd;
  const missing = (): ModuleResult => ({ failed: true, msg: `Could not find the requested service ${unit}: host`, changed: false });
  if (isInitd && !isSystemd) warnings.push(`The service (${unit}) is actually an init script but the system is managed by systemd`);

  const actions: string[][] = [];
  const masked = args.get('masked') as boolean | null;
  if (masked !== null && (field(probe, 'enabled.out').trim() === 'masked') !== masked) {
    result.changed = true;
    actions.push([masked ? 'mask' : 'unmask', unit]);
  }
  const enabled = args.get('enabled') as boolean | null;
  if (enabled !== null) {
    if (!found) return missing();
    const lines = field(probe, 'enabled_l.out').split('\n');
    let current = field(probe, 'enabled_l.rc') === '0' && !(lines.length === 1 && (lines[0] === 'indirect' || lines[0] === 'alias'));
    if (field(probe, 'enabled_l.rc') === '1' && args.get('scope') === 'system' && isInitd && !field(probe, 'enabled_l.out').trim().endsWith('disabled')) {
      current = probe.fields.has('sysv_enabled');
    }
    result.enabled = current;
    if (current !== enabled) {
      result.changed = true;
      actions.push([enabled ? 'enable' : 'disable', unit]);
      result.enabled = !current;
    }
  }
  const state = args.get('state') as string | null;
  if (state !== null) {
    if (!found) return missing();
    result.state = state;
    const status = result.status as PyDict;
    if (!status.has('ActiveState')) return { failed: true, msg: 'Service is in unknown state', status, changed: false };
    const active = String(status.get('ActiveState'));
    const running = active === 'active' || active === 'activating';
    let action: string | null = null;
    if (state === 'started' && !running) action = 'start';
    else if (state === 'stopped' && (running || active === 'deactivating')) action = 'stop';
    else if (state === 'restarted' || state === 'reloaded') {
      action = running ? state.slice(0, -2) : 'start';
      result.state = 'started';
    }
    if (action) {
      result.changed = true;
      actions.push([action, unit]);
    }
  }
  if (actions.length > 0 && !ctx.check) {
    const done = await ctx.remote(Script.join([Script.raw('('), prefix, runScript(actions), Script.raw(')')]));
    const rcs = done.fields.get('rc') ?? [];
    const failedAt = rcs.findIndex((rc) => rc !== '0');
    if (failedAt >= 0 || rcs.length < actions.length) {
      const [verb] = actions[Math.max(failedAt, 0)] as [string];
      const err = done.fields.get('err')?.[failedAt] ?? done.stderr;
      if (verb === 'mask' || verb === 'unmask') return missing();
      if (verb === 'enable' || verb === 'disable') return { failed: true, msg: `Unable to ${verb} service ${unit}: ${(done.fields.get('out')?.[failedAt] ?? '') + err}`, changed: false };
      return { failed: true, msg: `Unable to ${verb} service ${unit}: ${err}`, changed: false };
    }
  }
  if (warnings.length > 0) result.warnings = warnings;
  return result;
}

export const systemd: ModuleDef = {
  name: 'systemd',
  aliases: ['systemd_service'],
  spec: systemdSpec,
  supportsCheckMode: true,
  run: runSystemd,
};
