import type { PyValue } from '../template/values.js';
import { one, statusLine, type FactFamily, type FamilyOutput } from './family.js';

const DMI = '/sys/devices/virtual/dmi/id';
const MARKERS = '/proc/vz /proc/lve /proc/bc /.dockerenv /.dockerinit /proc/xen /dev/kvm';

/**
 * virtualization_type/role/tech_guest/tech_host on Linux: virtual/linux.py's probes in its
 * order, from the files it reads (fleet_read_files). pid 1's environment (readable by root
 * only) is NUL-separated, which grep would call binary, so tr splits it. lscpu runs on s390
 * (where cpuinfo's vendor_id is IBM/S390) and dmidecode, as linux.py runs them, where installed.
 */
export const virtualFacts: FactFamily = {
  name: 'virtual',
  collector: 'virtual',
  needs: ['platform'],
  files: {
    cgroup: '/proc/1/cgroup',
    systemd_container: '/run/systemd/container',
    xen_capabilities: '/proc/xen/capabilities',
    ...Object.fromEntries(['product_name', 'sys_vendor', 'product_family', 'bios_vendor'].map((file) => [`dmi.${file}`, `${DMI}/${file}`])),
    status: '/proc/$$/status',
    cpuinfo: '/proc/cpuinfo',
    modules: '/proc/modules',
  },
  command: `if [ "$fleet_system" = Linux ]; then
  # Opened by the shell first: access() may allow what open() refuses (ptrace access mode).
  { true < /proc/1/environ; } 2>/dev/null && fleet_emit environ "$(tr '\\000' '\\n' < /proc/1/environ)"
  for fleet_f in ${MARKERS}; do [ -e "$fleet_f" ] && fleet_emit "exists.$fleet_f" 1; done
  case $fleet_machine in s390*) fleet_bin lscpu && fleet_v=$("$fleet_found") && fleet_emit lscpu "$fleet_v" ;; esac
  if [ -d /rhev/ ]; then
    for fleet_f in /proc/[0-9]*/comm; do
      fleet_v=''
      read -r fleet_v < "$fleet_f"
      case $fleet_v in vdsm|vdsmd) fleet_emit vdsm 1; break ;; esac
    done
  fi
  fleet_bin dmidecode && fleet_v=$("$fleet_found" -s system-product-name) && fleet_emit dmidecode "$fleet_v"
fi`,
  parse(output, collected) {
    if (collected.get('system') === 'Linux' && (output.has('cpuinfo') || output.has('cgroup') || output.has('modules'))) return linuxVirtual(output);
    // macOS has no virtual collector of its own: virtual/base.py's empty answer.
    if (collected.get('system') === 'Darwin') return { virtualization_type: '', virtualization_role: '', virtualization_tech_guest: [], virtualization_tech_host: [] };
    return {};
  },
};

const KVM_SYS_VENDORS = ['QEMU', 'Amazon EC2', 'DigitalOcean', 'Google', 'Scaleway', 'Nutanix'];
const CONTAINER_TECH = ['docker', 'lxc', 'podman', 'openvz', 'containerd'];

/** get_file_content: the file stripped, None when missing or empty. */
function content(output: FamilyOutput, key: string): string | null {
  return output.has(key) ? one(output, key).trim() || null : null;
}

function lines(output: FamilyOutput, key: string): string[] {
  return (content(output, key) ?? '').split('\n');
}

/** linux.py get_virtual_facts, step by step: the first technology found sets type and role. */
function linuxVirtual(output: FamilyOutput): Record<string, PyValue> {
  const facts: { type?: string; role?: string } = {};
  let found = false;
  const guest = new Set<string>();
  const host = new Set<string>();
  const exists = (path: string): boolean => output.has(`exists.${path}`);
  const guestIs = (tech: string, role: string | null = 'guest'): void => {
    guest.add(tech);
    if (found) return;
    facts.type = tech;
    if (role) facts.role = role;
    found = true;
  };
  for (const line of lines(output, 'cgroup')) {
    if (/\/docker(\/|-[0-9a-f]+\.scope)/.test(line)) guestIs('docker');
    if (/\/lxc\//.test(line) || /\/machine\.slice\/machine-lxc/.test(line)) guestIs('lxc');
    if (/\/system\.slice\/containerd\.service/.test(line)) guestIs('containerd');
  }
  for (const line of (content(output, 'environ') ?? '').replace(/\n$/, '').split('\n')) {
    if (/container=lxc/.test(line)) guestIs('lxc');
    if (/container=podman/.test(line)) guestIs('podman');
    if (/^container=./.test(line)) guestIs('container');
  }
  if (exists('/proc/vz') && !exists('/proc/lve')) {
    facts.type = 'openvz';
    const openvzHost = exists('/proc/bc');
    (openvzHost ? host : guest).add('openvz');
    if (!found) facts.role = openvzHost ? 'host' : 'guest';
    found = true;
  }
  const systemdContainer = content(output, 'systemd_container');
  if (systemdContainer) guestIs(systemdContainer);
  if (exists('/.dockerenv') || exists('/.dockerinit')) guestIs('docker');
  if (CONTAINER_TECH.some((tech) => guest.has(tech)) || systemdContainer) guest.add('container');
  if (exists('/proc/xen')) {
    const xenHost = lines(output, 'xen_capabilities').some((line) => line.includes('control_d'));
    (xenHost ? host : guest).add('xen');
    if (!found) Object.assign(facts, { type: 'xen', role: xenHost ? 'host' : 'guest' });
    found = true;
  }
  if (!found) facts.role = 'guest';
  const productName = content(output, 'dmi.product_name');
  const sysVendor = content(output, 'dmi.sys_vendor');
  const productFamily = content(output, 'dmi.product_family');
  const biosVendor = content(output, 'dmi.bios_vendor');
  const typeOnly = (tech: string): void => guestIs(tech, null);
  if (['KVM', 'KVM Server', 'Bochs', 'AHV'].includes(productName ?? '')) typeOnly('kvm');
  if (sysVendor === 'oVirt') typeOnly('oVirt');
  if (sysVendor === 'Red Hat') {
    if (productFamily === 'RHV') typeOnly('RHV');
    else if (productName === 'RHEV Hypervisor') typeOnly('RHEV');
  }
  if (['VMware Virtual Platform', 'VMware7,1'].includes(productName ?? '')) typeOnly('VMware');
  if (['OpenStack Compute', 'OpenStack Nova'].includes(productName ?? '')) typeOnly('openstack');
  if (biosVendor === 'Xen') typeOnly('xen');
  if (biosVendor === 'innotek GmbH') typeOnly('virtualbox');
  if (['Amazon EC2', 'DigitalOcean', 'Hetzner'].includes(biosVendor ?? '')) typeOnly('kvm');
  if (KVM_SYS_VENDORS.includes(sysVendor ?? '')) typeOnly('kvm');
  if (sysVendor === 'KubeVirt') typeOnly('KubeVirt');
  if (sysVendor === 'Microsoft Corporation') typeOnly('VirtualPC');
  if (sysVendor === 'Parallels Software International Inc.') typeOnly('parallels');
  if (sysVendor === 'OpenStack Foundation') typeOnly('openstack');
  if (!found) delete facts.role;
  const vxid = statusLine(one(output, 'status'), 'VxID');
  if (/^VxID:\s+\d+/.test(vxid)) {
    const vserverHost = /^VxID:\s+0/.test(vxid);
    (vserverHost ? host : guest).add('linux_vserver');
    if (!found) Object.assign(facts, { type: 'linux_vserver', role: vserverHost ? 'host' : 'guest' });
    found = true;
  }
  found = cpuinfoVirtual(output, facts, guest, found);
  const modules = new Set(one(output, 'modules').split('\n').map((line) => line.split(' ')[0]));
  if (output.has('modules')) {
    if (modules.has('kvm')) {
      host.add('kvm');
      if (!found) Object.assign(facts, { type: 'kvm', role: 'host' });
      if (output.has('vdsm')) {
        host.add('RHEV');
        if (!found) facts.type = 'RHEV';
      }
      found = true;
    }
    if (modules.has('vboxdrv')) hostIs('virtualbox');
    if (modules.has('virtio')) {
      host.add('kvm');
      if (!found) Object.assign(facts, { type: 'kvm', role: 'guest' });
      found = true;
    }
  }
  if (output.has('dmidecode')) {
    const out = one(output, 'dmidecode');
    const vendorName = out.split('\n').filter((line) => !line.startsWith('#')).map((line) => line.trim()).join('');
    if (vendorName.startsWith('VMware')) guestIs('VMware');
    if (out.includes('BHYVE')) guestIs('bhyve');
  }
  if (exists('/dev/kvm')) hostIs('kvm');
  function hostIs(tech: string): void {
    host.add(tech);
    if (found) return;
    Object.assign(facts, { type: tech, role: 'host' });
    found = true;
  }
  if (!found) Object.assign(facts, { type: 'NA', role: 'NA' });
  const result: Record<string, PyValue> = {};
  if (facts.type !== undefined) result.virtualization_type = facts.type;
  if (facts.role !== undefined) result.virtualization_role = facts.role;
  result.virtualization_tech_guest = [...guest];
  result.virtualization_tech_host = [...host];
  return result;
}

/** The /proc/cpuinfo part of get_virtual_facts (with lscpu's Hypervisor on s390). */
function cpuinfoVirtual(output: FamilyOutput, facts: { type?: string; role?: string }, guest: Set<string>, foundBefore: boolean): boolean {
  let found = foundBefore;
  const patterns: [RegExp, string][] = [
    [/^model name.*QEMU Virtual CPU/, 'kvm'],
    [/^vendor_id.*User Mode Linux/, 'uml'],
    [/^model name.*UML/, 'uml'],
    [/^machine.*CHRP IBM pSeries .emulated by qemu./, 'kvm'],
    [/^vendor_id.*PowerVM Lx86/, 'powervm_lx86'],
  ];
  for (const line of lines(output, 'cpuinfo')) {
    const tech = patterns.find(([pattern]) => pattern.test(line))?.[1];
    if (tech) {
      guest.add(tech);
      if (!found) facts.type = tech;
    } else if (/^vendor_id.*IBM\/S390/.test(line)) {
      guest.add('PR/SM');
      if (!found) facts.type = 'PR/SM';
      if (output.has('lscpu')) {
        for (const row of one(output, 'lscpu').split('\n')) {
          const [key, value] = [row.split(':')[0]?.trim(), row.slice(row.indexOf(':') + 1).trim()];
          if (key === 'Hypervisor' && row.includes(':')) {
            guest.add(value);
            if (!found) facts.type = value;
          }
        }
      } else {
        guest.add('ibm_systemz');
        if (!found) facts.type = 'ibm_systemz';
      }
    } else continue;
    if (!found) facts.role = facts.type === 'PR/SM' ? 'LPAR' : 'guest';
    found = true;
  }
  return found;
}
