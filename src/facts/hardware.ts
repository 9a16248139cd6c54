import { PyDict, type PyValue } from '../template/values.js';
import { one, statusLine, type FactFamily } from './family.js';

/**
 * Processor and memory facts: module_utils/facts/hardware/linux.py and hardware/darwin.py
 * (sysctl; its values stay strings, as there). On Linux: /proc/cpuinfo, /proc/meminfo, and
 * for processor_nproc, len(os.sched_getaffinity(0)): the CPUs the shell may run on, its
 * Cpus_allowed_list, which is what nproc counts, without starting it.
 */
export const hardwareFacts: FactFamily = {
  name: 'hardware',
  collector: 'hardware',
  needs: ['platform'],
  files: { cpuinfo: '/proc/cpuinfo', meminfo: '/proc/meminfo', status: '/proc/$$/status' },
  command: `[ "$fleet_system" = Darwin ] && fleet_emit sysctl "$(sysctl hw.memsize hw.logicalcpu hw.ncpu machdep.cpu.brand_string machdep.cpu.core_count 2>/dev/null)"`,
  parse(output, collected) {
    if (output.has('sysctl')) return darwin(one(output, 'sysctl'));
    const cpusAllowed = statusLine(one(output, 'status'), 'Cpus_allowed_list').slice('Cpus_allowed_list:'.length).trim();
    return { ...linuxCpu(one(output, 'cpuinfo'), allowedCpus(cpusAllowed), String(collected.get('architecture') ?? '')), ...linuxMemory(one(output, 'meminfo')) };
  },
};

/** How many CPUs a cpu list (`0-3,8,10-11`) names, or null when there is none. */
function allowedCpus(list: string): number | null {
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(list)) return null;
  return list.split(',').reduce((count, range) => {
    const [first, last] = range.split('-').map(Number) as [number, number | undefined];
    return count + (last === undefined ? 1 : last - first + 1);
  }, 0);
}

function linuxCpu(cpuinfo: string, nproc: number | null, architecture: string): Record<string, number | string[]> {
  if (!cpuinfo) return {};
  const processor: string[] = [];
  let i = 0;
  let vendorIds = 0;
  let modelNames = 0;
  let processors = 0;
  let physid = '0';
  let coreid = '0';
  const sockets = new Map<string, number>();
  const cores = new Map<string, number>();
  const facts: Record<string, number | string[]> = {};
  for (const line of cpuinfo.split('\n')) {
    const colon = line.indexOf(':');
    const key = (colon < 0 ? line : line.slice(0, colon)).trim();
    const val = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (['model name', 'Processor', 'vendor_id', 'cpu', 'Vendor', 'processor'].includes(key)) {
      processor.push(val);
      if (key === 'vendor_id') vendorIds += 1;
      if (key === 'model name') modelNames += 1;
      if (key === 'processor') processors += 1;
      i += 1;
    } else if (key === 'physical id') {
      physid = val;
      if (!sockets.has(physid)) sockets.set(physid, 1);
    } else if (key === 'core id') {
      coreid = val;
      // linux.py checks `sockets` here, not `cores`.
      if (!sockets.has(coreid)) cores.set(coreid, 1);
    } else if (key === 'cpu cores') {
      sockets.set(physid, parseInt(val, 10));
    } else if (key === 'siblings') {
      cores.set(coreid, parseInt(val, 10));
    } else if (key === '# processors') {
      facts.processor_cores = parseInt(val, 10);
    } else if (key === 'ncpus active') {
      i = parseInt(val, 10);
    }
  }
  if (vendorIds > 0 && vendorIds === modelNames) i = vendorIds;
  if (/^(armv|aarch|ppc)/.test(architecture)) i = processors;
  facts.processor = processor;
  if (architecture === 's390x') return facts;
  facts.processor_count = sockets.size > 0 ? sockets.size : i;
  const firstSocket = [...sockets.values()][0];
  facts.processor_cores = firstSocket ? firstSocket : 1;
  const firstCore = [...cores.values()][0];
  facts.processor_threads_per_core = Math.floor((firstCore ?? 1) / facts.processor_cores);
  facts.processor_vcpus = facts.processor_threads_per_core * facts.processor_count * facts.processor_cores;
  facts.processor_nproc = nproc ?? processors;
  return facts;
}

function linuxMemory(meminfo: string): Record<string, PyValue> {
  if (!meminfo) return {};
  const mb = new Map<string, number>();
  for (const line of meminfo.split('\n')) {
    const match = /^(\w+):\s+(\d+)/.exec(line);
    if (match) mb.set(match[1] as string, Math.floor(Number(match[2]) / 1024));
  }
  const facts: Record<string, PyValue> = {};
  for (const key of ['MemTotal', 'MemFree', 'SwapTotal', 'SwapFree']) {
    const value = mb.get(key);
    if (value !== undefined) facts[`${key.toLowerCase()}_mb`] = value;
  }
  facts.memory_mb = memoryMb(mb);
  return facts;
}

/**
 * get_memory_facts' memory_mb: every figure is made whole MB first and then added up; a sum
 * with a missing figure is None.
 */
function memoryMb(mb: ReadonlyMap<string, number>): PyDict {
  const get = (key: string): number | null => mb.get(key) ?? null;
  const add = (...values: (number | null)[]): number | null => (values.includes(null) ? null : (values as number[]).reduce((a, b) => a + b));
  const minus = (a: number | null, b: number | null): number | null => (b === null ? null : add(a, -b));
  const [total, free, swapTotal, swapFree] = [get('MemTotal'), get('MemFree'), get('SwapTotal'), get('SwapFree')];
  const nocacheFree = add(get('Cached'), free, get('Buffers'));
  return new PyDict([
    ['real', new PyDict([['total', total], ['used', minus(total, free)], ['free', free]])],
    ['nocache', new PyDict([['free', nocacheFree], ['used', minus(total, nocacheFree)]])],
    ['swap', new PyDict([['total', swapTotal], ['free', swapFree], ['used', minus(swapTotal, swapFree)], ['cached', get('SwapCached')]])],
  ]);
}

function darwin(text: string): Record<string, string | number> {
  const sysctl = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([\w.]+):\s*(.*)$/.exec(line);
    if (match) sysctl.set(match[1] as string, (match[2] as string).trim());
  }
  const facts: Record<string, string | number> = {};
  if (sysctl.has('machdep.cpu.brand_string')) {
    facts.processor = sysctl.get('machdep.cpu.brand_string') as string;
    facts.processor_cores = sysctl.get('machdep.cpu.core_count') ?? '';
  }
  facts.processor_vcpus = sysctl.get('hw.logicalcpu') || sysctl.get('hw.ncpu') || '';
  const memsize = sysctl.get('hw.memsize');
  if (memsize) facts.memtotal_mb = Math.floor(Number(memsize) / 1024 / 1024);
  return facts;
}
