import { one, type FactFamily } from './family.js';

// service_mgr.py: names for some pid-1 programs.
const PROC_1_MAP: Record<string, string> = { procd: 'openwrt_init', 'runit-init': 'runit', svscan: 'svc', 'openrc-init': 'openrc' };

/** module_utils/facts/system/service_mgr.py: pid 1's name, else per-system probes. */
export const serviceMgrFacts: FactFamily = {
  name: 'service_mgr',
  collector: 'service_mgr',
  needs: ['platform', 'distribution'],
  // /sbin/init's target is read (a readlink process) only when pid 1's name leaves the
  // parser needing it: no name, or one it sets aside (init, *sh; odd characters, to be safe).
  command: `fleet_comm=''
if [ -r /proc/1/comm ]; then IFS= read -r fleet_comm < /proc/1/comm; fleet_emit proc_1 "$fleet_comm$fleet_nl"
elif fleet_ps=$(ps -p 1 -o comm 2>/dev/null | tail -n 1); then fleet_emit ps_1 "$fleet_ps"; fi
case \${fleet_comm##*/} in
  *[!A-Za-z0-9_.-]*|''|init|*sh) [ -L /sbin/init ] && fleet_emit init_link "$(readlink /sbin/init)" ;;
esac
command -v systemctl >/dev/null 2>&1 && fleet_emit systemctl 1
for fleet_c in /run/systemd/system/ /dev/.run/systemd/ /dev/.systemd/; do [ -e "$fleet_c" ] && fleet_emit systemd_canary 1; done
command -v initctl >/dev/null 2>&1 && [ -e /etc/init/ ] && fleet_emit upstart 1
[ -e /sbin/openrc ] && fleet_emit openrc 1
[ -e /etc/init.d/ ] && fleet_emit initd 1`,
  parse(output, collected) {
    let proc1: string | null = output.has('proc_1') ? one(output, 'proc_1') : null;
    if (proc1 === null && output.has('ps_1')) {
      const ps = one(output, 'ps_1');
      proc1 = ps.trim() === '' || /^ *[0-9]+ /.test(ps) || ps === 'COMMAND' ? null : ps;
    }
    if (proc1 === null && output.has('init_link')) proc1 = one(output, 'init_link');
    if (proc1 !== null) proc1 = (proc1.split('/').pop() as string).trim();
    if (proc1 !== null && (proc1 === 'init' || proc1.endsWith('sh'))) proc1 = null;
    if (proc1) return { service_mgr: PROC_1_MAP[proc1] ?? proc1 };
    const system = String(collected.get('system') ?? '');
    const flag = (key: string): boolean => output.has(key);
    let name: string | null = null;
    if (collected.get('distribution') === 'MacOSX') name = 'launchd';
    else if (system.includes('BSD') || system === 'Bitrig' || system === 'DragonFly') name = 'bsdinit';
    else if (system === 'AIX') name = 'src';
    else if (system === 'SunOS') name = 'smf';
    else if (collected.get('distribution') === 'OpenWrt') name = 'openwrt_init';
    else if (system === 'Linux') {
      if (flag('systemctl') && flag('systemd_canary')) name = 'systemd';
      else if (flag('upstart')) name = 'upstart';
      else if (flag('openrc')) name = 'openrc';
      else if (flag('systemctl') && one(output, 'init_link').split('/').pop() === 'systemd') name = 'systemd';
      else if (flag('initd')) name = 'sysvinit';
    }
    return { service_mgr: name ?? 'service' };
  },
};
