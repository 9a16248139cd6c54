import { PyDict, type PyValue } from '../template/values.js';

/**
 * network/linux.py get_interfaces_info, from what the facts script reports: per interface its
 * /sys/class/net files as `name=value` lines, its `ip addr show` lines (primary addresses
 * first, then the secondary and temporary ones that `ip addr show secondary` lists), and
 * ethtool's answers where ethtool is installed.
 */
export interface InterfaceInput {
  name: string;
  sysfs: Map<string, string>;
  ipLines: string[];
  ethtoolFeatures?: string;
  ethtoolTimestamping?: string;
}

export interface InterfacesResult {
  interfaces: Map<string, PyDict>;
  all_ipv4_addresses: string[];
  all_ipv6_addresses: string[];
}

// linux.py INTERFACE_TYPE
const INTERFACE_TYPE: Record<string, string> = { '1': 'ether', '32': 'infiniband', '512': 'ppp', '772': 'loopback', '65534': 'tunnel' };

/** socket.inet_aton/ntoa arithmetic for an IPv4 address and prefix length. */
export function ipv4Details(address: string, prefix: number): { netmask: string; network: string } {
  const toInt = (ip: string): bigint => ip.split('.').reduce((n, octet) => n * 256n + BigInt(Number(octet)), 0n);
  const toIp = (n: bigint): string => [24n, 16n, 8n, 0n].map((shift) => String((n >> shift) & 255n)).join('.');
  const mask = (1n << 32n) - ((1n << 32n) >> BigInt(prefix));
  return { netmask: toIp(mask), network: toIp(toInt(address) & mask) };
}

export function linuxInterfaces(inputs: readonly InterfaceInput[], defaultIpv4: PyDict, defaultIpv6: PyDict): InterfacesResult {
  const interfaces = new Map<string, PyDict>();
  const all4: string[] = [];
  const all6: string[] = [];
  for (const input of inputs) {
    const device = input.name;
    const info = sysfsInfo(input);
    interfaces.set(device, info);
    const macaddress = input.sysfs.get('address') ?? '';
    const setDefault = (defaults: PyDict, values: [string, PyValue][]): void => {
      for (const [key, value] of values) defaults.set(key, value);
      defaults.set('macaddress', macaddress);
      defaults.set('mtu', info.get('mtu') ?? null);
      defaults.set('type', info.get('type') ?? 'unknown');
    };
    for (const line of input.ipLines) {
      const secondary = / (secondary|temporary)( |$)/.test(line);
      const words = line.trim().split(/\s+/);
      if (words[0] === 'inet') {
        const [address, prefix] = (words[1] as string).includes('/') ? ((words[1] as string).split('/') as [string, string]) : [words[1] as string, '32'];
        const broadcast = (words[1] as string).includes('/') && words.length > 3 && words[2] === 'brd' ? (words[3] as string) : '';
        const details = ipv4Details(address, Number(prefix));
        const entry = (): PyDict => new PyDict([['address', address], ['broadcast', broadcast], ['netmask', details.netmask], ['network', details.network], ['prefix', prefix]]);
        const iface = words[words.length - 1] as string;
        if (iface !== device) interfaces.set(iface, new PyDict());
        const target = interfaces.get(iface) as PyDict;
        if (!secondary && !target.has('ipv4')) target.set('ipv4', entry());
        else appendTo(target, 'ipv4_secondaries', entry());
        if (secondary) {
          if (!info.has('ipv4_secondaries')) info.set('ipv4_secondaries', []);
          if (device !== iface) appendTo(info, 'ipv4_secondaries', entry());
        }
        if (defaultIpv4.get('address') === address) {
          setDefault(defaultIpv4, [['broadcast', broadcast], ['netmask', details.netmask], ['network', details.network], ['prefix', prefix]]);
          defaultIpv4.set('alias', iface);
        }
        if (!address.startsWith('127.')) all4.push(address);
      } else if (words[0] === 'inet6') {
        const peer = words[2] === 'peer';
        const address = peer ? (words[1] as string) : ((words[1] as string).split('/')[0] as string);
        const prefix = ((peer ? words[3] : words[1]) as string).split('/')[1] ?? '';
        const scope = (peer ? words[5] : words[3]) ?? '';
        appendTo(info, 'ipv6', new PyDict([['address', address], ['prefix', prefix], ['scope', scope]]));
        if (defaultIpv6.get('address') === address) setDefault(defaultIpv6, [['prefix', prefix], ['scope', scope]]);
        if (address !== '::1') all6.push(address);
      }
    }
    if (input.ethtoolFeatures !== undefined) info.set('features', ethtoolFeatures(input.ethtoolFeatures));
    if (input.ethtoolTimestamping !== undefined) {
      const text = input.ethtoolTimestamping;
      info.set('timestamping', [...text.matchAll(/SOF_TIMESTAMPING_(\w+)/g)].map((m) => (m[1] as string).toLowerCase()));
      info.set('hw_timestamp_filters', [...text.matchAll(/HWTSTAMP_FILTER_(\w+)/g)].map((m) => (m[1] as string).toLowerCase()));
      const phc = /PTP Hardware Clock: (\d+)/.exec(text);
      if (phc) info.set('phc_index', Number(phc[1]));
    }
  }
  // Alias labels (eth0:1) become eth0_1.
  const renamed = new Map([...interfaces].map(([name, info]) => [name.replace(/:/g, '_'), info] as const));
  return { interfaces: renamed, all_ipv4_addresses: all4, all_ipv6_addresses: all6 };
}

function appendTo(dict: PyDict, key: string, value: PyDict): void {
  if (!dict.has(key)) dict.set(key, []);
  (dict.get(key) as PyValue[]).push(value);
}

/** The facts linux.py reads from /sys/class/net/<device>, in its order. */
function sysfsInfo(input: InterfaceInput): PyDict {
  const files = input.sysfs;
  const has = (name: string): boolean => files.has(name);
  const get = (name: string): string => files.get(name) ?? '';
  const info = new PyDict([['device', input.name]]);
  const mac = get('address');
  if (mac && mac !== '00:00:00:00:00:00') info.set('macaddress', mac);
  if (has('mtu')) info.set('mtu', parseInt(get('mtu'), 10));
  if (has('operstate')) info.set('active', get('operstate') !== 'down');
  if (has('module')) info.set('module', get('module'));
  if (has('type')) info.set('type', INTERFACE_TYPE[get('type')] ?? 'unknown');
  if (has('bridge')) {
    info.set('type', 'bridge');
    info.set('interfaces', get('brif').split(' ').filter(Boolean));
    if (has('bridge/bridge_id')) info.set('id', get('bridge/bridge_id'));
    if (has('bridge/stp_state')) info.set('stp', get('bridge/stp_state') === '1');
  }
  if (has('bonding')) {
    const first = (name: string): string => get(name).split(/\s+/)[0] ?? '';
    info.set('type', 'bonding');
    info.set('slaves', get('bonding/slaves').split(/\s+/).filter(Boolean));
    info.set('mode', first('bonding/mode'));
    info.set('miimon', first('bonding/miimon'));
    info.set('lacp_rate', first('bonding/lacp_rate'));
    if (get('bonding/primary')) {
      info.set('primary', get('bonding/primary'));
      if (has('bonding/all_slaves_active')) info.set('all_slaves_active', get('bonding/all_slaves_active') === '1');
    }
  }
  if (has('bonding_slave')) info.set('perm_macaddress', get('bonding_slave/perm_hwaddr'));
  if (has('pciid')) info.set('pciid', get('pciid'));
  if (/^-?\d+$/.test(get('speed'))) info.set('speed', parseInt(get('speed'), 10));
  if (/^(0x)?[0-9a-fA-F]+$/.test(get('flags'))) info.set('promisc', (parseInt(get('flags'), 16) & 0x100) > 0);
  return info;
}

/** `ethtool -k`: `name: value` lines (headers ending in `:` skipped), dashes made underscores. */
function ethtoolFeatures(text: string): PyDict {
  const features = new PyDict();
  for (const line of text.trim().split('\n')) {
    if (!line || line.endsWith(':')) continue;
    const [key, value] = line.split(': ');
    if (!value) continue;
    features.set((key as string).trim().replace(/-/g, '_'), value.trim());
  }
  return features;
}
