import { Script, sh } from '../../shell/script.js';
import { PyDict } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { BIN_PATH } from './bin-path.js';
import { moduleFailure } from './module-failure.js';
import { PARSABLE_LOCALE } from './parsable-locale.js';
import { activeState, mergeUnitFiles, ServiceFactsCrash, systemdUnits, sysvServices } from './service-facts-parse.js';

// modules/service_facts.py
const spec: ArgSpec = { options: {} };

/**
 * `sf_run KEY CMD…`: CMD in the parsable locale, stdin empty, as run_command runs it; its
 * stdout, stderr and status emitted as KEY_out, KEY_err and KEY_rc.
 */
const RUN = Script.library(`sf_run() {
  sf_key=$1; shift
  sf_err=$(mktemp) || return 1
  fleet_emit_output "\${sf_key}_out" env LANG="$fleet_locale" LC_ALL="$fleet_locale" "$@" < /dev/null 2> "$sf_err"
  fleet_emit "\${sf_key}_rc" "$fleet_output_rc"
  fleet_emit_file "\${sf_key}_err" "$sf_err"
  rm -f -- "$sf_err"
}
`);

/**
 * The sources service_facts.py's scanners look at, in its order: `service --status-all` when
 * neither chkconfig nor rc-status is there; systemctl's unit lists when PID 1 is systemd; the
 * sources fleet does not read (upstart's initctl, chkconfig, OpenRC, AIX's lssrc, OpenBSD's
 * rcctl) reported as `unread` when their scanner would run.
 */
const GATHER = Script.raw(`fleet_parsable_locale
sf_service='' sf_chkconfig='' sf_initctl='' sf_rc_status='' sf_rc_update=''
if fleet_bin_path service; then sf_service=$fleet_bin; fi
if fleet_bin_path chkconfig; then sf_chkconfig=$fleet_bin; fi
if fleet_bin_path initctl; then sf_initctl=$fleet_bin; fi
if fleet_bin_path rc-status; then sf_rc_status=$fleet_bin; fi
if fleet_bin_path rc-update; then sf_rc_update=$fleet_bin; fi
if [ -n "$sf_service" ] && [ -z "$sf_chkconfig" ] && [ -z "$sf_rc_status" ]; then
  sf_run sysv "$sf_service" --status-all
  if [ -e /etc/init.d ]; then fleet_emit initd 1; fi
fi
if [ -n "$sf_initctl" ] && [ -z "$sf_chkconfig" ]; then fleet_emit unread "upstart's initctl"
elif [ -n "$sf_chkconfig" ]; then fleet_emit unread chkconfig
elif [ -n "$sf_rc_status" ] && [ -n "$sf_rc_update" ]; then fleet_emit unread OpenRC
fi
if grep -q systemd /proc/1/comm 2>/dev/null; then
  sf_path=$PATH PATH=/usr/bin:/usr/local/bin:$PATH
  if fleet_bin_path systemctl; then
    PATH=$sf_path
    fleet_emit systemctl "$fleet_bin"
    sf_run units "$fleet_bin" list-units --no-pager --type service --all
    sf_run unit_files "$fleet_bin" list-unit-files --no-pager --type service --all
  fi
  PATH=$sf_path
fi
if [ "$(uname -s)" = AIX ] && fleet_bin_path lssrc; then fleet_emit unread "AIX's lssrc"; fi
if fleet_bin_path rcctl; then fleet_emit unread rcctl; fi`);

/** `systemctl show UNIT --property=ActiveState` for each unit only list-unit-files named. */
function activeStatesScript(systemctl: string, units: readonly string[]): Script {
  const shows = units.map((unit) => sh`sf_run show ${systemctl} show ${unit} --property=ActiveState`);
  return Script.join([PARSABLE_LOCALE, RUN, Script.raw('fleet_parsable_locale'), ...shows]);
}

const records = (output: RemoteOutput, key: string): string[] => output.fields.get(key) ?? [];

/** SystemctlScanService.gather_services over the two lists, asking systemd for the states they leave out. */
async function systemdServices(output: RemoteOutput, ctx: ModuleContext, warnings: string[]): Promise<PyDict> {
  let services = new PyDict();
  if (field(output, 'units_rc') !== '0') warnings.push(`Could not list units from systemd: ${field(output, 'units_err')}`);
  else services = systemdUnits(field(output, 'units_out'));
  if (field(output, 'unit_files_rc') !== '0') {
    warnings.push(`Could not get unit files data from systemd: ${field(output, 'unit_files_err')}`);
    return services;
  }
  const unknown = mergeUnitFiles(field(output, 'unit_files_out'), services);
  if (unknown.length === 0) return services;
  const shown = await ctx.remote(activeStatesScript(field(output, 'systemctl'), unknown), { readOnly: true });
  const codes = records(shown, 'show_rc');
  const stdouts = records(shown, 'show_out');
  unknown.forEach((unit, index) => {
    (services.get(unit) as PyDict).set('state', activeState(Number(codes[index] ?? 1), stdouts[index] ?? ''));
  });
  return services;
}

async function gather(output: RemoteOutput, ctx: ModuleContext, warnings: string[]): Promise<PyDict> {
  const services = new PyDict();
  if (output.fields.has('sysv_rc')) {
    const rc = field(output, 'sysv_rc');
    // `service` on RHEL 9 answers 4 without /etc/init.d: no SysV services then.
    if (!(rc === '4' && !output.fields.has('initd'))) {
      if (rc !== '0') warnings.push(`Unable to query 'service' tool (${rc}): ${field(output, 'sysv_err')}`);
      for (const [name, entry] of sysvServices(field(output, 'sysv_out'))) services.set(name, entry);
    }
  }
  if (output.fields.has('systemctl')) {
    for (const [name, entry] of await systemdServices(output, ctx, warnings)) services.set(name, entry);
  }
  return services;
}

/**
 * service_facts: ansible_facts.services from SysV's `service --status-all` and systemd's unit
 * lists, parsed as 2.14 parses them (a name both report is systemd's). 2.14 has no launchd
 * scanner: on macOS nothing answers and the task is skipped with Ansible's message. Hosts
 * whose services another scanner would read fail, naming it.
 */
export const serviceFacts: ModuleDef = {
  name: 'service_facts',
  spec,
  supportsCheckMode: true,
  async run(_args, ctx): Promise<ModuleResult> {
    const output = await ctx.remote(Script.join([BIN_PATH, PARSABLE_LOCALE, RUN, GATHER]), { readOnly: true });
    const unread = records(output, 'unread');
    if (unread.length > 0) {
      return { failed: true, msg: `fleet's service_facts does not read ${unread.join(', ')} (ansible-playbook's does); run this task with ansible-playbook` };
    }
    const warnings: string[] = [];
    let services: PyDict;
    try {
      services = await gather(output, ctx, warnings);
    } catch (error) {
      if (error instanceof ServiceFactsCrash) return moduleFailure({ stdout: '', stderr: `${error.message}\n`, rc: 1 });
      throw error;
    }
    const withWarnings = warnings.length > 0 ? { warnings } : {};
    if (services.size === 0) {
      return { skipped: true, msg: 'Failed to find any services. This can be due to privileges or some other configuration issue.', ...withWarnings };
    }
    return { ansible_facts: new PyDict([['services', services]]), ...withWarnings };
  },
};
