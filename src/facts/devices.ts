import { PyDict, type PyValue } from '../template/values.js';
import { one, type FactFamily, type FamilyOutput } from './family.js';

// The sysfs files hardware/linux.py get_device_facts reads for a disk, and for a partition.
const DISK_FILES = ['device/vendor', 'device/model', 'device/sas_address', 'device/sas_device_handle', 'device/serial', 'removable', 'queue/discard_granularity', 'queue/rotational', 'queue/scheduler', 'size', 'queue/logical_block_size', 'queue/hw_sector_size'];
const PARTITION_FILES = ['start', 'size', 'queue/logical_block_size', 'queue/hw_sector_size'];
const LINK_TYPES: readonly (readonly [string, string])[] = [['ids', 'by-id'], ['uuids', 'by-uuid'], ['labels', 'by-label']];

/**
 * devices, device_links and lvm on Linux (hardware/linux.py get_device_facts,
 * get_all_device_links, get_lvm_facts). The shell lists /sys/block (its files are read with
 * the others, FactFamily.globs); the link targets linux.py reads with readlink
 * (/dev/disk/by-*, a disk's PCI parent) are found among the block devices and PCI devices
 * with `-ef`. lspci, sg_inq and the LVM tools (root only) run only where installed, as
 * linux.py runs them.
 */
export const deviceFacts: FactFamily = {
  name: 'devices',
  collector: 'hardware',
  files: { status: '/proc/$$/status' },
  globs: [
    ...DISK_FILES.map((file) => `/sys/block/*/${file}`),
    // A partition's directory ends in its number (linux.py's `disk[p]?\d+`): `*/*` would have
    // the shell look for the files in every directory of every disk.
    ...PARTITION_FILES.map((file) => `/sys/block/*/*[0-9]/${file}`),
    '/sys/block/*/holders/dm-*/dm/name',
    '/sys/block/*/*[0-9]/holders/dm-*/dm/name',
  ],
  command: `# -ef is not POSIX, but dash, bash, ksh, zsh and BSD test all have it.
# shellcheck disable=SC3013
fleet_devices() {
  fd_names=''
  for fd_c in /sys/class/block/*; do [ -e "$fd_c" ] && fd_names="$fd_names \${fd_c##*/}"; done
  for fd_dir in ${LINK_TYPES.map(([, dir]) => dir).join(' ')}; do
    [ -d "/dev/disk/$fd_dir" ] || continue
    fleet_emit "linkdir.$fd_dir" 1
    for fd_l in "/dev/disk/$fd_dir"/*; do
      [ -L "$fd_l" ] || continue
      for fd_c in $fd_names; do
        if [ "$fd_l" -ef "/dev/$fd_c" ]; then fleet_emit "link.$fd_dir" "$fd_c \${fd_l##*/}"; break; fi
      done
    done
  done
  fd_sg=''
  fleet_bin sg_inq && fd_sg=$fleet_found
  fd_pci=''
  if fleet_bin lspci && fd_v=$("$fleet_found" -D); then fleet_emit lspci "$fd_v"; fd_pci=1; fi
  for fd_b in /sys/block/*; do
    [ -e "$fd_b" ] || continue
    fd_n=\${fd_b##*/}
    fleet_emit disk "$fd_n"
    fleet_holders "holders.$fd_n" "$fd_b"
    for fd_s in "$fd_b"/slaves/*; do [ -e "$fd_s" ] && fleet_emit master "\${fd_s##*/} $fd_n"; done
    for fd_p in "$fd_b/$fd_n"*; do
      [ -d "$fd_p" ] || continue
      fd_pn=\${fd_p##*/}
      fleet_emit "partition.$fd_n" "$fd_pn"
      fleet_holders "holders.$fd_pn" "$fd_p"
    done
    if [ -n "$fd_sg" ] && fd_v=$("$fd_sg" "/dev/$fd_n"); then fleet_emit "sg_inq.$fd_n" "$fd_v"; fi
    if [ -n "$fd_pci" ]; then
      fd_up=$fd_b/device
      while [ -e "$fd_up" ] && [ ! "$fd_up" -ef /sys/devices ]; do
        for fd_c in /sys/bus/pci/devices/*; do
          if [ "$fd_up" -ef "$fd_c" ]; then fleet_emit "pci.$fd_n" "\${fd_c##*/}"; break 2; fi
        done
        fd_up=$fd_up/..
      done
    fi
  done
}
# get_holders: the dm-* holders of $2 (parse names them by their dm/name when they have one).
fleet_holders() {
  fh_text=''
  for fh_h in "$2"/holders/dm-*; do
    [ -e "$fh_h" ] && fh_text="$fh_text\${fh_h##*/}$fleet_nl"
  done
  fleet_emit "$1" "$fh_text"
}
if [ "$fleet_system" = Linux ]; then
  fleet_emit linux 1
  if [ -d /sys/block ]; then fleet_emit sys_block 1; fleet_devices; fi
  fleet_status_field Uid
  if [ "$fleet_field" = 0 ] && fleet_bin vgs; then
    fleet_emit lvm 1
    for fd_t in vgs lvs pvs; do
      fd_v=''
      fleet_bin "$fd_t" && fd_v=$("$fleet_found" --noheadings --nosuffix --units g --separator ,) && fleet_emit "lvm.$fd_t" "$fd_v"
    done
    # _find_mapper_device_name: a /dev/dm-N physical volume is named by dmsetup.
    while IFS=, read -r fd_pv fd_rest; do
      fd_pv=\${fd_pv#"\${fd_pv%%[! ]*}"}
      case $fd_pv in /dev/dm-*) fleet_bin dmsetup && fleet_emit "dm.$fd_pv" "$("$fleet_found" info -C --noheadings -o name "$fd_pv")" ;; esac
    done <<FLEET_PVS
$fd_v
FLEET_PVS
  fi
fi`,
  parse(output) {
    if (!output.has('linux')) return {};
    if (!output.has('sys_block')) return { devices: new PyDict(), ...lvmFacts(output) };
    const links = deviceLinks(output);
    return { device_links: links, devices: devices(output, links), ...lvmFacts(output) };
  },
};

/** The first line (trimmed) of sysfs file `dir/file`, as read, when it is not empty. */
function sysfsLine(output: FamilyOutput, dir: string, file: string): string | undefined {
  return (output.get(`file:${dir}/${file}`)?.[0] ?? '').split('\n')[0]?.trim() || undefined;
}

/** The named files of `dir` that read as a non-empty first line. */
function sysfsValues(output: FamilyOutput, dir: string, files: readonly string[]): Map<string, string> {
  return new Map(files.flatMap((file) => {
    const value = sysfsLine(output, dir, file);
    return value === undefined ? [] : [[file, value] as const];
  }));
}

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** get_all_device_links: per link type, target → sorted link names; masters: slave → sorted holders. */
function deviceLinks(output: FamilyOutput): PyDict {
  const links = new PyDict();
  const collect = (pairs: readonly string[]): PyDict => {
    const byTarget = new Map<string, Set<string>>();
    for (const pair of pairs) {
      const [target, name] = [pair.slice(0, pair.indexOf(' ')), pair.slice(pair.indexOf(' ') + 1)];
      byTarget.set(target, (byTarget.get(target) ?? new Set()).add(name));
    }
    return new PyDict([...byTarget].map(([target, names]) => [target, [...names].sort(byCodePoint)]));
  };
  for (const [type, dir] of LINK_TYPES) links.set(type, output.has(`linkdir.${dir}`) ? collect(output.get(`link.${dir}`) ?? []) : new PyDict());
  links.set('masters', collect(output.get('master') ?? []));
  return links;
}

/** linux.py's sectorsize: logical_block_size, else hw_sector_size, else the int 512. */
function sectorsize(files: Map<string, string>): PyValue {
  return files.get('queue/logical_block_size') || files.get('queue/hw_sector_size') || 512;
}

function devices(output: FamilyOutput, links: PyDict): PyDict {
  const wwn = new Map((output.get('link.by-id') ?? []).filter((pair) => pair.includes(' wwn-')).map((pair) => [pair.slice(0, pair.indexOf(' ')), pair.slice(pair.indexOf(' wwn-') + 5)] as const));
  const linksOf = (name: string): PyDict => new PyDict([...links].map(([type, byTarget]) => [type, ((byTarget as PyDict).get(name) as PyValue) ?? []]));
  // get_holders: each dm-* holder by its device-mapper name when it has one.
  const holders = (name: string, dir: string): string[] => one(output, `holders.${name}`).split('\n').filter(Boolean).map((dm) => sysfsLine(output, `${dir}/holders/${dm}`, 'dm/name') ?? dm);
  const lspci = one(output, 'lspci');
  const result = new PyDict();
  for (const name of output.get('disk') ?? []) {
    const files = sysfsValues(output, `/sys/block/${name}`, DISK_FILES);
    const file = (key: string): string | null => files.get(key) || null;
    const d = new PyDict([['virtual', 1], ['links', linksOf(name)]]);
    for (const key of ['vendor', 'model', 'sas_address', 'sas_device_handle']) d.set(key, file(`device/${key}`));
    const serial = output.has(`sg_inq.${name}`) ? /(?:Unit serial|Serial) number:\s+(\w+)/.exec(one(output, `sg_inq.${name}`))?.[1] : file('device/serial');
    if (serial) d.set('serial', serial);
    d.set('removable', file('removable'));
    d.set('support_discard', file('queue/discard_granularity'));
    if (wwn.has(name)) d.set('wwn', wwn.get(name) as string);
    const partitions = new PyDict();
    for (const partition of output.get(`partition.${name}`) ?? []) {
      const match = new RegExp(`(${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[p]?\\d+)`).exec(partition);
      if (!match) continue;
      const partFiles = sysfsValues(output, `/sys/block/${name}/${partition}`, PARTITION_FILES);
      const sectors = partFiles.get('size') || 0;
      partitions.set(match[1] as string, new PyDict([
        ['links', linksOf(match[1] as string)],
        ['start', partFiles.get('start') || 0],
        ['sectors', sectors],
        ['sectorsize', sectorsize(partFiles)],
        ['size', bytesToHuman(Number(sectors) * 512)],
        ['uuid', partitionUuid(output, match[1] as string)],
        ['holders', holders(partition, `/sys/block/${name}/${partition}`)],
      ]));
    }
    d.set('partitions', partitions);
    d.set('rotational', file('queue/rotational'));
    const scheduler = file('queue/scheduler');
    d.set('scheduler_mode', (scheduler !== null && /^.*?(\[(.*)\])/.exec(scheduler)?.[2]) || '');
    const sectors = file('size') || 0;
    d.set('sectors', sectors);
    d.set('sectorsize', sectorsize(files));
    d.set('size', bytesToHuman(Number(sectors) * 512));
    const pci = one(output, `pci.${name}`);
    const host = pci && lspci ? new RegExp(`^${pci.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s(.*)$`, 'm').exec(lspci)?.[1] : undefined;
    d.set('host', host ?? '');
    d.set('holders', holders(name, `/sys/block/${name}`));
    result.set(name, d);
  }
  return result;
}

/** get_partition_uuid: the by-uuid link that resolves to /dev/<partition>, else None. */
function partitionUuid(output: FamilyOutput, partition: string): string | null {
  const pair = (output.get('link.by-uuid') ?? []).find((each) => each.startsWith(`${partition} `));
  return pair ? pair.slice(partition.length + 1) : null;
}

// module_utils/common/text/formatters.py SIZE_RANGES, largest first.
const SIZE_RANGES: readonly (readonly [string, number])[] = [['Y', 2 ** 80], ['Z', 2 ** 70], ['E', 2 ** 60], ['P', 2 ** 50], ['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10], ['B', 1]];

/** bytes_to_human: `'%.2f %s'` of the largest unit the size reaches; "Bytes" below 1 KB. */
export function bytesToHuman(size: number): string {
  const [suffix, limit] = SIZE_RANGES.find(([, each]) => size >= each) ?? (SIZE_RANGES[SIZE_RANGES.length - 1] as readonly [string, number]);
  return `${(size / limit).toFixed(2)} ${limit === 1 ? 'Bytes' : `${suffix}B`}`;
}

/** get_lvm_facts: 'N/A' unless root with vgs; else vgs, lvs and pvs by name. */
function lvmFacts(output: FamilyOutput): Record<string, PyValue> {
  if (!output.has('lvm')) return { lvm: 'N/A' };
  const rows = (tool: string): string[][] => one(output, `lvm.${tool}`).split('\n').filter((line) => line !== '').map((line) => line.trim().split(','));
  const vgs = new PyDict(rows('vgs').map((items) => [items[0] as string, new PyDict([['size_g', items[items.length - 2] ?? ''], ['free_g', items[items.length - 1] ?? ''], ['num_lvs', items[2] ?? ''], ['num_pvs', items[1] ?? '']])]));
  const lvs = new PyDict(rows('lvs').map((items) => [items[0] as string, new PyDict([['size_g', items[3] ?? ''], ['vg', items[1] ?? '']])]));
  const pvs = new PyDict(rows('pvs').map((items) => {
    const device = items[0] as string;
    const mapper = output.has(`dm.${device}`) ? `/dev/mapper/${one(output, `dm.${device}`).trimEnd()}` : device;
    return [mapper, new PyDict([['size_g', items[4] ?? ''], ['free_g', items[5] ?? ''], ['vg', items[1] ?? '']])];
  }));
  return { lvm: new PyDict([['lvs', lvs], ['vgs', vgs], ['pvs', pvs]]) };
}
