import { PyDict, type PyValue } from '../template/values.js';
import { one, type FactFamily, type FamilyOutput } from './family.js';
import { ipv4Details, linuxInterfaces, type InterfaceInput } from './linux_interfaces.js';

// The addresses linux.py asks the routing table about (a lookup: no packet is sent).
const V4_TARGET = '8.8.8.8';
const V6_TARGET = '2404:6800:400a:800::1012';

// What linux.py reads from /sys/class/net/<device>: the first line of each file there.
const SYSFS_FILES = 'address mtu operstate type speed flags bridge/bridge_id bridge/stp_state bonding/slaves bonding/mode bonding/miimon bonding/lacp_rate bonding/primary bonding/all_slaves_active bonding_slave/perm_hwaddr';

/**
 * module_utils/facts/network/linux.py (default_ipv4/6, interfaces and one dict per
 * interface, all_ipv4/6_addresses) and network/generic_bsd.py for macOS (`route -n get
 * default`, `ifconfig -a`). iproute2 answers both route lookups and `addr show` in one
 * process (`-batch`; `-force` goes on past a missing route); an `ip` without batch mode
 * (busybox) prints no inet line that way and is asked three times. The sysfs files are read
 * by the shell; the link targets linux.py resolves (device → pciid, driver module) are found
 * among their siblings with `-ef` instead of a readlink process. ethtool runs per interface,
 * as in linux.py, only where it is installed.
 */
export const networkFacts: FactFamily = {
  name: 'network',
  collector: 'network',
  command: `if command -v ip >/dev/null 2>&1; then
  fleet_ip=$(ip -force -batch - 2>/dev/null <<'FLEET_IP'
route get ${V4_TARGET}
route get ${V6_TARGET}
addr show
FLEET_IP
)
  case $fleet_ip in
    *inet*) fleet_emit batch "$fleet_ip" ;;
    *)
      fleet_emit route "$(ip -4 route get ${V4_TARGET} 2>/dev/null)"
      fleet_emit route6 "$(ip -6 route get ${V6_TARGET} 2>/dev/null)"
      fleet_emit addr "$(ip addr show 2>/dev/null)" ;;
  esac
  fleet_ethtool=''
  fleet_bin ethtool && fleet_ethtool=$fleet_found
  # -ef is not POSIX, but dash, bash, ksh, zsh and BSD test all have it.
  # shellcheck disable=SC3013
  for fleet_d in /sys/class/net/*; do
    [ -d "$fleet_d" ] || continue
    fleet_n=\${fleet_d##*/} fleet_i=''
    for fleet_f in ${SYSFS_FILES}; do
      fleet_v=''
      [ -f "$fleet_d/$fleet_f" ] && { read -r fleet_v < "$fleet_d/$fleet_f" || [ -n "$fleet_v" ]; } && fleet_i="$fleet_i$fleet_f=$fleet_v$fleet_nl"
    done
    for fleet_f in bridge bonding bonding_slave; do [ -e "$fleet_d/$fleet_f" ] && fleet_i="$fleet_i$fleet_f=$fleet_nl"; done
    if [ -e "$fleet_d/bridge" ]; then
      fleet_v=''
      for fleet_p in "$fleet_d"/brif/*; do [ -e "$fleet_p" ] && fleet_v="$fleet_v \${fleet_p##*/}"; done
      fleet_i="\${fleet_i}brif=$fleet_v$fleet_nl"
    fi
    if [ -e "$fleet_d/device" ]; then
      for fleet_p in "$fleet_d"/device/subsystem/devices/*; do
        if [ "$fleet_p" -ef "$fleet_d/device" ]; then fleet_i="\${fleet_i}pciid=\${fleet_p##*/}$fleet_nl"; break; fi
      done
    fi
    if [ -e "$fleet_d/device/driver/module" ]; then
      for fleet_p in /sys/module/*; do
        if [ "$fleet_p" -ef "$fleet_d/device/driver/module" ]; then fleet_i="\${fleet_i}module=\${fleet_p##*/}$fleet_nl"; break; fi
      done
    fi
    fleet_emit "if.$fleet_n" "$fleet_i"
    if [ -n "$fleet_ethtool" ]; then
      fleet_v=$("$fleet_ethtool" -k "$fleet_n") && fleet_emit "ethtool_k.$fleet_n" "$fleet_v"
      fleet_v=$("$fleet_ethtool" -T "$fleet_n") && fleet_emit "ethtool_t.$fleet_n" "$fleet_v"
    fi
  done
elif command -v route >/dev/null 2>&1; then
  fleet_emit bsd_route "$(route -n get default 2>/dev/null)"
  fleet_emit ifconfig "$(ifconfig -a 2>/dev/null)"
fi`,
  parse(output) {
    if (output.has('bsd_route')) return bsd(one(output, 'bsd_route'), one(output, 'ifconfig'));
    if (!output.has('batch') && !output.has('addr')) return {};
    return linux(output);
  },
};

/** The batch's answers: the route lookups' lines, then `addr show`'s from its first interface header on. */
function splitBatch(text: string): { routes: string; addr: string } {
  const header = /^\d+:\s/m.exec(text);
  return header ? { routes: text.slice(0, header.index), addr: text.slice(header.index) } : { routes: text, addr: '' };
}

/** get_default_interfaces: the first line of `ip route get TARGET`, when it answers for TARGET. */
function defaultRoute(routes: string, target: string): PyDict {
  const defaults = new PyDict();
  const words = routes.split('\n').find((line) => line.split(/\s+/)[0] === target)?.trim().split(/\s+/) ?? [];
  for (let i = 0; i < words.length - 1; i += 1) {
    if (words[i] === 'dev') defaults.set('interface', words[i + 1] as string);
    else if (words[i] === 'src') defaults.set('address', words[i + 1] as string);
    else if (words[i] === 'via' && words[i + 1] !== target) defaults.set('gateway', words[i + 1] as string);
  }
  return defaults;
}

/** `ip addr show`'s lines by interface, primary addresses before the secondary and temporary ones. */
function addressLines(addr: string): Map<string, string[]> {
  const byDevice = new Map<string, string[]>();
  let lines: string[] = [];
  for (const line of addr.split('\n')) {
    const header = /^\d+:\s+([^:@\s]+)/.exec(line);
    if (header) byDevice.set(header[1] as string, (lines = []));
    else lines.push(line);
  }
  const secondary = (line: string): boolean => / (secondary|temporary)( |$)/.test(line);
  for (const [device, all] of byDevice) byDevice.set(device, [...all.filter((line) => !secondary(line)), ...all.filter(secondary)]);
  return byDevice;
}

function linux(output: FamilyOutput): Record<string, PyValue> {
  const { routes, addr } = output.has('batch') ? splitBatch(one(output, 'batch')) : { routes: `${one(output, 'route')}\n${one(output, 'route6')}`, addr: one(output, 'addr') };
  const defaultIpv4 = defaultRoute(routes, V4_TARGET);
  const defaultIpv6 = defaultRoute(routes, V6_TARGET);
  const lines = addressLines(addr);
  const inputs: InterfaceInput[] = [];
  for (const [key, values] of output) {
    if (!key.startsWith('if.')) continue;
    const name = key.slice(3);
    const sysfs = new Map<string, string>();
    for (const line of (values[0] ?? '').split('\n')) if (line.includes('=')) sysfs.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
    const input: InterfaceInput = { name, sysfs, ipLines: lines.get(name) ?? [] };
    if (output.has(`ethtool_k.${name}`)) input.ethtoolFeatures = one(output, `ethtool_k.${name}`);
    if (output.has(`ethtool_t.${name}`)) input.ethtoolTimestamping = one(output, `ethtool_t.${name}`);
    inputs.push(input);
  }
  const result = linuxInterfaces(inputs, defaultIpv4, defaultIpv6);
  const facts: Record<string, PyValue> = { interfaces: [...result.interfaces.keys()] };
  for (const [name, info] of result.interfaces) facts[name] = info;
  return { ...facts, default_ipv4: defaultIpv4, default_ipv6: defaultIpv6, all_ipv4_addresses: result.all_ipv4_addresses, all_ipv6_addresses: result.all_ipv6_addresses };
}

/** Python's sorted(): by code point, not by locale (localeCompare also builds an ICU collator). */
function sortedDict(dict: PyDict): PyDict {
  return new PyDict([...dict].sort(([a], [b]) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0)));
}

/** generic_bsd.py: the default route's interface, then that interface's first inet address. */
function bsd(route: string, ifconfig: string): Record<string, PyValue> {
  const defaults = new PyDict();
  for (const line of route.split('\n')) {
    const match = /^\s*(gateway|interface):\s*(\S+)/.exec(line);
    if (match) defaults.set(match[1] as string, match[2] as string);
  }
  const all: string[] = [];
  let device = '';
  const details = new Map<string, PyDict>();
  for (const line of ifconfig.split('\n')) {
    const header = /^([^\s:]+):\s.*mtu (\d+)/.exec(line);
    if (header) {
      device = header[1] as string;
      details.set(device, new PyDict([['mtu', Number(header[2])]]));
      continue;
    }
    const words = line.trim().split(/\s+/);
    if (words[0] === 'ether') details.get(device)?.set('macaddress', words[1] as string);
    if (words[0] !== 'inet') continue;
    const address = words[1] as string;
    if (!address.startsWith('127.')) all.push(address);
    const info = details.get(device);
    if (device === defaults.get('interface') && info && !info.has('address')) {
      const maskHex = words[words.indexOf('netmask') + 1] ?? '';
      const prefix = maskHex.startsWith('0x') ? parseInt(maskHex, 16).toString(2).replace(/0/g, '').length : 32;
      const { netmask, network } = ipv4Details(address, prefix);
      info.set('address', address);
      info.set('netmask', netmask);
      info.set('network', network);
      const brd = words.indexOf('broadcast');
      if (brd >= 0) info.set('broadcast', words[brd + 1] as string);
    }
  }
  const info = details.get(String(defaults.get('interface') ?? ''));
  if (info) for (const [key, value] of info) defaults.set(key, value);
  return { default_ipv4: sortedDict(defaults), all_ipv4_addresses: all };
}
