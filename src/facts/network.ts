import { PyDict, type PyValue } from '../template/values.js';
import { one, type FactFamily } from './family.js';

/**
 * default_ipv4 and all_ipv4_addresses: module_utils/facts/network/linux.py (`ip -4 route get
 * 8.8.8.8` — a routing-table lookup, no packet is sent — and `ip addr show`) and
 * network/generic_bsd.py for macOS (`route -n get default`, `ifconfig -a`). iproute2 answers
 * both in one process (`-batch`; `-force` goes on past a missing route; `-4` leaves out only
 * what the parser skips: interfaces without an inet line); an `ip` without batch mode
 * (busybox) prints no inet line that way and is asked twice.
 */
export const networkFacts: FactFamily = {
  name: 'network',
  command: `if command -v ip >/dev/null 2>&1; then
  fleet_ip=$(ip -4 -force -batch - 2>/dev/null <<'FLEET_IP'
route get 8.8.8.8
addr show
FLEET_IP
)
  case $fleet_ip in
    *inet*) fleet_emit batch "$fleet_ip" ;;
    *)
      fleet_emit route "$(ip -4 route get 8.8.8.8 2>/dev/null)"
      fleet_emit addr "$(ip addr show 2>/dev/null)" ;;
  esac
  for fleet_d in /sys/class/net/*; do
    [ -d "$fleet_d" ] || continue
    fleet_a='' fleet_m='' fleet_t=''
    read -r fleet_a < "$fleet_d/address"; read -r fleet_m < "$fleet_d/mtu"; read -r fleet_t < "$fleet_d/type"
    fleet_emit link "\${fleet_d##*/} $fleet_a $fleet_m $fleet_t"
  done
elif command -v route >/dev/null 2>&1; then
  fleet_emit bsd_route "$(route -n get default 2>/dev/null)"
  fleet_emit ifconfig "$(ifconfig -a 2>/dev/null)"
fi`,
  parse(output) {
    return output.has('bsd_route') ? bsd(one(output, 'bsd_route'), one(output, 'ifconfig')) : linux(output);
  },
};

// linux.py INTERFACE_TYPE
const INTERFACE_TYPE: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

function ipv4Details(address: string, prefix: number): { netmask: string; network: string } {
  const toInt = (ip: string): number => ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  const toIp = (n: number): string => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
  const mask = prefix === 0 ? 0 : (0xffffffff - (2 ** (32 - prefix) - 1));
  return { netmask: toIp(mask), network: toIp(Number((BigInt(toInt(address)) & BigInt(mask)).toString())) };
}

/** The batch's answers: `route get`'s lines, then `addr show`'s from its first interface header on. */
function splitBatch(text: string): { route: string; addr: string } {
  const header = /^\d+:\s/m.exec(text);
  return header ? { route: text.slice(0, header.index), addr: text.slice(header.index) } : { route: text, addr: '' };
}

function linux(output: ReadonlyMap<string, readonly string[]>): Record<string, PyValue> {
  const defaults = new PyDict();
  const { route, addr } = output.has('batch') ? splitBatch(one(output, 'batch')) : { route: one(output, 'route'), addr: one(output, 'addr') };
  const routeWords = route.split('\n')[0]!.trim().split(/\s+/);
  if (routeWords[0] === '8.8.8.8') {
    for (let i = 0; i < routeWords.length - 1; i += 1) {
      if (routeWords[i] === 'dev') defaults.set('interface', routeWords[i + 1] as string);
      else if (routeWords[i] === 'src') defaults.set('address', routeWords[i + 1] as string);
      else if (routeWords[i] === 'via' && routeWords[i + 1] !== '8.8.8.8') defaults.set('gateway', routeWords[i + 1] as string);
    }
  }
  const links = new Map<string, { mac: string; mtu: number; type: string }>();
  for (const line of output.get('link') ?? []) {
    const [name, mac, mtu, type] = line.split(' ');
    links.set(name as string, { mac: mac ?? '', mtu: Number(mtu), type: INTERFACE_TYPE[type ?? ''] ?? 'unknown' });
  }
  const all: string[] = [];
  let device = '';
  for (const line of addr.split('\n')) {
    const header = /^\d+:\s+([^:@\s]+)/.exec(line);
    if (header) {
      device = header[1] as string;
      continue;
    }
    const words = line.trim().split(/\s+/);
    if (words[0] !== 'inet') continue;
    const [address, prefixText] = (words[1] as string).split('/') as [string, string | undefined];
    const prefix = prefixText ?? '32';
    if (defaults.get('address') === address) {
      const brdIndex = words.indexOf('brd');
      const { netmask, network } = ipv4Details(address, Number(prefix));
      const link = links.get(device);
      defaults.set('broadcast', brdIndex >= 0 ? (words[brdIndex + 1] as string) : '');
      defaults.set('netmask', netmask);
      defaults.set('network', network);
      defaults.set('prefix', prefix);
      if (link) {
        defaults.set('macaddress', link.mac);
        defaults.set('mtu', link.mtu);
        defaults.set('type', link.type);
      }
      defaults.set('alias', words[words.length - 1] as string);
    }
    if (!address.startsWith('127.')) all.push(address);
  }
  return { default_ipv4: sortedDict(defaults), all_ipv4_addresses: all };
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
