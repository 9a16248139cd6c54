import { factsFromRecords, factsScript } from '../../facts/index.js';
import { Script, sh } from '../../shell/script.js';
import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import { paramsInvocation } from '../invocation.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { PyDict } from '../../template/values.js';
import { runSystemd, systemd } from './systemd.js';

// modules/service.py argument_spec
const spec: ArgSpec = {
  options: {
    name: { type: 'str', required: true },
    state: { type: 'str', choices: ['started', 'stopped', 'reloaded', 'restarted'] },
    sleep: { type: 'int' },
    pattern: { type: 'str' },
    enabled: { type: 'bool' },
    runlevel: { type: 'str', default: 'default' },
    arguments: { type: 'str', default: '', aliases: ['args'] },
    use: { type: 'str', default: 'auto' },
  },
  requiredOneOf: [['state', 'enabled']],
};

/** The task's options the service action drops, with a warning each, before it runs systemd (plugins/action/service.py UNUSED_PARAMS). */
const UNUSED_BY_SYSTEMD = ['pattern', 'runlevel', 'sleep', 'arguments', 'args'];

/** service_mgr from gathered facts, else probed with the service_mgr fact family (as the action does). */
async function serviceManager(args: Args, ctx: ModuleContext): Promise<string> {
  const use = args.get('use') as string;
  if (use !== 'auto') return use;
  const known = ctx.facts.get('service_mgr');
  if (typeof known === 'string') return known;
  const families = ['platform', 'distribution', 'service_mgr'];
  const probed = factsFromRecords((await ctx.remote(Script.raw(factsScript(ctx.userland, families)), { readOnly: true })).fields, families);
  return String(probed.get('service_mgr') ?? 'service');
}

/**
 * sysvinit through /etc/init.d (or `service`): status decides start/stop, enabled through
 * update-rc.d or chkconfig. A small part of service.py's LinuxService.
 */
async function runSysv(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.get('name') as string;
  const state = args.get('state') as string | null;
  const enabled = args.get('enabled') as boolean | null;
  const extra = args.get('arguments') as string;
  const probe = await ctx.remote(
    Script.join([
      sh`fleet_name=${name}`,
      Script.raw(`if [ -x "/etc/init.d/$fleet_name" ]; then fleet_emit script 1; "/etc/init.d/$fleet_name" status >/dev/null 2>&1; fleet_emit status "$?"
elif command -v service >/dev/null 2>&1 && service "$fleet_name" status >/dev/null 2>&1; then fleet_emit script 1; fleet_emit status 0; fi
for fleet_f in /etc/rc?.d/S??"$fleet_name"; do [ -e "$fleet_f" ] && { fleet_emit enabled 1; break; }; done`),
    ]),
  );
  if (!probe.fields.has('script')) return { failed: true, msg: `Could not find the requested service ${name}: host`, changed: false };
  const running = field(probe, 'status') === '0';
  const result: ModuleResult = { name, changed: false };
  const commands: Script[] = [];
  if (enabled !== null) {
    result.enabled = enabled;
    if (probe.fields.has('enabled') !== enabled) {
      result.changed = true;
      commands.push(sh`if command -v update-rc.d >/dev/null 2>&1; then update-rc.d ${name} ${enabled ? 'defaults' : 'disable'}; else chkconfig ${name} ${enabled ? 'on' : 'off'}; fi`);
    }
  }
  if (state !== null) {
    result.state = state;
    const verb = state === 'started' ? (running ? null : 'start') : state === 'stopped' ? (running ? 'stop' : null) : state === 'restarted' ? 'restart' : running ? 'reload' : 'start';
    if (verb) {
      result.changed = true;
      commands.push(Script.concat([sh`/etc/init.d/${name} ${verb}`, extra ? Script.concat([' ', Script.raw(extra)]) : '']));
    }
  }
  if (commands.length > 0 && !ctx.check) {
    const run = await ctx.remote(
      Script.join([Script.raw('fleet_err=$( {'), ...commands.map((c) => Script.concat([c, ' || exit $?'])), Script.raw('} 2>&1 >/dev/null); fleet_emit rc "$?"; fleet_emit err "$fleet_err"')]),
    );
    if (field(run, 'rc') !== '0') return { failed: true, msg: field(run, 'err'), changed: false, name };
  }
  return result;
}

/** The service action: systemd hosts get the systemd module, sysvinit hosts their init scripts. */
export const service: ModuleDef = {
  name: 'service',
  spec,
  supportsCheckMode: true,
  // The service action runs the service module without `use` (systemd hosts: see run).
  invocation: (given, args) => paramsInvocation(spec, given, args, ['use']),
  async run(args, ctx) {
    const manager = await serviceManager(args, ctx);
    if (manager === 'systemd') {
      for (const unused of UNUSED_BY_SYSTEMD) if (ctx.taskArgs?.has(unused)) ctx.warn?.(`Ignoring "${unused}" as it is not used in "systemd"`);
      const systemdArgs = new Map([
        ['name', args.get('name') ?? null],
        ['state', args.get('state') ?? null],
        ['enabled', args.get('enabled') ?? null],
        ['force', null],
        ['masked', null],
        ['daemon_reload', false],
        ['daemon_reexec', false],
        ['scope', 'system'],
        ['no_block', false],
      ]);
      // The action passes systemd the task's name/state/enabled (plugins/action/service.py UNUSED_PARAMS).
      const given = new PyDict([...systemdArgs].filter(([key, value]) => ['name', 'state', 'enabled'].includes(key) && value !== null));
      return { ...(await runSystemd(systemdArgs, ctx)), invocation: paramsInvocation(systemd.spec, given, systemdArgs) };
    }
    if (manager === 'sysvinit' || manager === 'service') return runSysv(args, ctx);
    return { failed: true, msg: `fleet's service module does not manage '${manager}' services yet`, changed: false };
  },
};
