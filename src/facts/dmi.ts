import type { PyValue } from '../template/values.js';
import { one, type FactFamily } from './family.js';

// hardware/linux.py get_dmi_facts: each fact, its /sys/devices/virtual/dmi/id file and its dmidecode -s keyword.
const DMI: readonly (readonly [string, string, string])[] = [
  ['bios_date', 'bios_date', 'bios-release-date'],
  ['bios_vendor', 'bios_vendor', 'bios-vendor'],
  ['bios_version', 'bios_version', 'bios-version'],
  ['board_asset_tag', 'board_asset_tag', 'baseboard-asset-tag'],
  ['board_name', 'board_name', 'baseboard-product-name'],
  ['board_serial', 'board_serial', 'baseboard-serial-number'],
  ['board_vendor', 'board_vendor', 'baseboard-manufacturer'],
  ['board_version', 'board_version', 'baseboard-version'],
  ['chassis_asset_tag', 'chassis_asset_tag', 'chassis-asset-tag'],
  ['chassis_serial', 'chassis_serial', 'chassis-serial-number'],
  ['chassis_vendor', 'chassis_vendor', 'chassis-manufacturer'],
  ['chassis_version', 'chassis_version', 'chassis-version'],
  ['form_factor', 'chassis_type', 'chassis-type'],
  ['product_name', 'product_name', 'system-product-name'],
  ['product_serial', 'product_serial', 'system-serial-number'],
  ['product_uuid', 'product_uuid', 'system-uuid'],
  ['product_version', 'product_version', 'system-version'],
  ['system_vendor', 'sys_vendor', 'system-manufacturer'],
];

// The SMBIOS chassis types (DSP0134), by number.
const FORM_FACTOR = ['Unknown', 'Other', 'Unknown', 'Desktop', 'Low Profile Desktop', 'Pizza Box', 'Mini Tower', 'Tower',
  'Portable', 'Laptop', 'Notebook', 'Hand Held', 'Docking Station', 'All In One', 'Sub Notebook', 'Space-saving', 'Lunch Box',
  'Main Server Chassis', 'Expansion Chassis', 'Sub Chassis', 'Bus Expansion Chassis', 'Peripheral Chassis', 'RAID Chassis',
  'Rack Mount Chassis', 'Sealed-case PC', 'Multi-system', 'CompactPCI', 'AdvancedTCA', 'Blade', 'Blade Enclosure',
  'Tablet', 'Convertible', 'Detachable', 'IoT Gateway', 'Embedded PC', 'Mini PC', 'Stick PC'];

const SYSFS = '/sys/devices/virtual/dmi/id';

/**
 * DMI (bios_*, board_*, chassis_*, product_*, system_vendor, form_factor) on Linux: the
 * kernel's sysfs files (unreadable ones, such as serials for non-root, are NA), else
 * dmidecode when installed (one run per keyword, as Ansible does), else NA.
 */
export const dmiFacts: FactFamily = {
  name: 'dmi',
  collector: 'hardware',
  files: Object.fromEntries(DMI.map(([, file]) => [file, `${SYSFS}/${file}`])),
  command: `[ "$fleet_system" = Linux ] && if [ -e ${SYSFS}/product_name ]; then
  fleet_emit source sysfs
else
  fleet_emit source dmidecode
  if fleet_bin dmidecode; then
    for fleet_k in ${DMI.map(([, , keyword]) => keyword).join(' ')}; do
      fleet_v=$("$fleet_found" -s "$fleet_k") && fleet_emit "$fleet_k" "$fleet_v"
    done
  fi
fi`,
  parse(output) {
    if (!output.has('source')) return {};
    const sysfs = one(output, 'source') === 'sysfs';
    const facts: Record<string, PyValue> = {};
    for (const [fact, file, keyword] of DMI) {
      const raw = output.get(sysfs ? file : keyword)?.[0];
      // get_file_content: stripped, and empty counts as missing; dmidecode's comment lines dropped.
      const value = raw === undefined ? '' : sysfs ? raw.trim() : raw.split('\n').filter((line) => !line.startsWith('#')).join('');
      if (sysfs && value === '') facts[fact] = 'NA';
      else if (!sysfs && raw === undefined) facts[fact] = 'NA';
      else if (fact === 'form_factor' && sysfs) facts[fact] = formFactor(value);
      else facts[fact] = value;
    }
    return facts;
  },
};

/** FORM_FACTOR[int(data)]: Python's negative indexes count from the end; past it is `unknown (N)`. */
function formFactor(data: string): string {
  const index = Number(data.trim());
  if (!/^\s*[-+]?\d+\s*$/.test(data)) return `unknown (${data})`;
  const name = FORM_FACTOR[index < 0 ? FORM_FACTOR.length + index : index];
  return name ?? `unknown (${data})`;
}
