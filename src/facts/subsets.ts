/**
 * Which of ansible-core 2.14's fact collectors a `gather_subset` selects
 * (module_utils/facts/collector.py get_collector_names and _solve_deps, with setup.py's
 * minimal set and default_collectors.py's collectors). Every collector has a Generic class,
 * so the names a subset may use are the same on every platform; what a collector requires
 * (its required_facts) depends on the host's platform class.
 */

interface Collector {
  /** The fact ids a subset may name to select the collector (`_fact_ids`), besides its name. */
  factIds: readonly string[];
  /** required_facts, by `platform.system()`; `Generic` for the other platforms. */
  requires?: Readonly<Record<string, readonly string[]>>;
}

const COLLECTORS: Readonly<Record<string, Collector>> = {
  platform: { factIds: ['system', 'kernel', 'kernel_version', 'machine', 'python_version', 'architecture', 'machine_id'] },
  distribution: { factIds: ['distribution_version', 'distribution_release', 'distribution_major_version', 'os_family'] },
  lsb: { factIds: [] },
  selinux: { factIds: [] },
  apparmor: { factIds: [] },
  chroot: { factIds: ['is_chroot'] },
  fips: { factIds: [] },
  python: { factIds: [] },
  caps: { factIds: ['system_capabilities', 'system_capabilities_enforced'] },
  pkg_mgr: { factIds: [], requires: { Generic: ['distribution'], OpenBSD: [] } },
  service_mgr: { factIds: [], requires: { Generic: ['platform', 'distribution'] } },
  cmdline: { factIds: [] },
  date_time: { factIds: [] },
  env: { factIds: [] },
  loadavg: { factIds: [] },
  ssh_pub_keys: { factIds: ['ssh_host_pub_keys', 'ssh_host_key_dsa_public', 'ssh_host_key_rsa_public', 'ssh_host_key_ecdsa_public', 'ssh_host_key_ed25519_public'] },
  user: { factIds: ['user_id', 'user_uid', 'user_gid', 'user_gecos', 'user_dir', 'user_shell', 'real_user_id', 'effective_user_id', 'effective_group_ids'] },
  virtual: { factIds: ['virtualization_type', 'virtualization_role', 'virtualization_tech_guest', 'virtualization_tech_host'] },
  hardware: {
    factIds: ['processor', 'processor_cores', 'processor_count', 'mounts', 'devices'],
    requires: { Linux: ['platform'], SunOS: ['platform'], 'HP-UX': ['platform', 'distribution'], Generic: [] },
  },
  dns: { factIds: [] },
  fibre_channel_wwn: { factIds: [] },
  network: { factIds: ['interfaces', 'default_ipv4', 'default_ipv6', 'all_ipv4_addresses', 'all_ipv6_addresses'], requires: { Linux: ['distribution', 'platform'], Generic: [] } },
  iscsi: { factIds: [] },
  nvme: { factIds: [] },
  local: { factIds: [] },
  facter: { factIds: ['facter'] },
  ohai: { factIds: [] },
};

// setup.py's minimal_gather_subset: gathered even for `!all`.
const MINIMAL = new Set(['apparmor', 'caps', 'cmdline', 'date_time', 'distribution', 'dns', 'env', 'fips', 'local', 'lsb', 'pkg_mgr', 'platform', 'python', 'selinux', 'service_mgr', 'ssh_pub_keys', 'user']);

/** A subset name and the collectors it stands for (a collector's own name, or one of its fact ids). */
const BY_SUBSET = new Map<string, string[]>();
for (const [name, collector] of Object.entries(COLLECTORS)) {
  for (const id of [name, ...collector.factIds]) BY_SUBSET.set(id, [...(BY_SUBSET.get(id) ?? []), name]);
}

/** setup's failure for a subset it does not know (collector.py raises it as a TypeError). */
export class GatherSubsetError extends Error {}

/**
 * The collectors `gatherSubset` selects on a host whose `uname -s` is `system`, with the ones
 * they require. `min` is always first; `!all` leaves the minimal set, `!min` takes it away; an
 * exclusion never removes what the subset names explicitly; an unknown exclusion is ignored.
 */
export function selectedCollectors(gatherSubset: readonly string[], system: string): Set<string> {
  const valid = new Set(BY_SUBSET.keys());
  const added = new Set<string>();
  const excluded = new Set<string>();
  const explicit = new Set<string>();
  for (const subset of ['min', ...(gatherSubset.length > 0 ? gatherSubset : ['all'])]) {
    if (subset === 'min') {
      for (const name of MINIMAL) added.add(name);
    } else if (subset === 'all') {
      for (const name of valid) added.add(name);
    } else if (subset === '!min') {
      for (const name of MINIMAL) excluded.add(name);
    } else if (subset === '!all') {
      for (const name of [...valid].filter((each) => !MINIMAL.has(each))) excluded.add(name);
    } else if (subset.startsWith('!')) {
      const name = subset.slice(1);
      // aliases_map: `!hardware` also excludes hardware's fact ids.
      for (const id of COLLECTORS[name]?.factIds ?? []) excluded.add(id);
      excluded.add(name);
    } else {
      if (!valid.has(subset)) throw new GatherSubsetError(`Bad subset '${subset}' given to Ansible. gather_subset options allowed: all, ${[...valid].sort().join(', ')}`);
      explicit.add(subset);
      added.add(subset);
    }
  }
  const collectors = new Set<string>();
  for (const subset of added) if (!excluded.has(subset) || explicit.has(subset)) for (const name of BY_SUBSET.get(subset) ?? []) collectors.add(name);
  for (const name of [...collectors]) requireAll(name, system, collectors);
  return collectors;
}

function requireAll(name: string, system: string, into: Set<string>): void {
  const requires = COLLECTORS[name]?.requires;
  for (const required of requires?.[system] ?? requires?.Generic ?? []) {
    if (into.has(required)) continue;
    into.add(required);
    requireAll(required, system, into);
  }
}
