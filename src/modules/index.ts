import { command, shell } from './system/command.js';
import { assert } from './system/assert.js';
import { cron } from './system/cron.js';
import { debug } from './system/debug.js';
import { fail } from './system/fail.js';
import { asyncStatusModule } from './system/async_status.js';
import { setFact } from './system/set_fact.js';
import { setStats } from './system/set_stats.js';
import { groupBy } from './system/group_by.js';
import { addHost } from './system/add_host.js';
import { ping } from './system/ping.js';
import { getent } from './system/getent.js';
import { packageFacts } from './system/package_facts.js';
import { serviceFacts } from './system/service_facts.js';
import { setup } from './system/setup.js';
import { gatherFacts } from './system/gather_facts.js';
import { includeVars } from './system/include_vars.js';
import { raw } from './system/raw.js';
import { script } from './system/script.js';
import { pause } from './system/pause.js';
import { waitFor } from './system/wait_for.js';
import { waitForConnection } from './system/wait_for_connection.js';
import { reboot } from './system/reboot.js';
import { group } from './system/group.js';
import { user } from './system/user.js';
import { service } from './system/service.js';
import { systemd } from './system/systemd.js';
import { launchd } from './system/launchd.js';
import { apt, packageModule } from './system/apt.js';
import { aptKeyModule } from './system/apt_key.js';
import { aptRepository } from './system/apt_repository.js';
import { git } from './system/git.js';
import { sysctl } from './system/sysctl.js';
import { pamLimits } from './system/pam_limits.js';
import { sudoers } from './system/sudoers.js';
import { iptables } from './system/iptables.js';
import { ufw } from './system/ufw.js';
import { hostname } from './system/hostname.js';
import { dpkgSelections } from './system/dpkg_selections.js';
import { debconf } from './system/debconf.js';
import { pip } from './system/pip.js';
import { copyModule } from './files/copy.js';
import { fileModule } from './files/file.js';
import { statModule } from './files/stat.js';
import { lineinfileModule } from './files/lineinfile.js';
import { templateModule } from './files/template.js';
import { replaceModule } from './files/replace.js';
import { slurpModule } from './files/slurp.js';
import { blockinfileModule } from './files/blockinfile.js';
import { iniFileModule } from './files/ini_file.js';
import { tempfileModule } from './files/tempfile.js';
import { findFilesModule } from './files/find.js';
import { assembleModule } from './files/assemble.js';
import { fetchModule } from './files/fetch.js';
import { authorizedKeyModule } from './files/authorized_key.js';
import { knownHostsModule } from './files/known_hosts.js';
import { unarchiveModule } from './files/unarchive.js';
import { uriModule } from './net/uri.js';
import { getUrlModule } from './net/get_url.js';
import { validateArgumentSpec } from './system/validate_argument_spec.js';
import type { ModuleDef } from './types.js';

/** Every module fleet supports; one line per module file. */
const all: ModuleDef[] = [
  command,
  shell,
  cron,
  debug,
  setFact,
  setStats,
  groupBy,
  addHost,
  ping,
  getent,
  packageFacts,
  serviceFacts,
  assert,
  fail,
  setup,
  gatherFacts,
  raw,
  script,
  includeVars,
  pause,
  waitFor,
  waitForConnection,
  group,
  user,
  service,
  reboot,
  systemd,
  launchd,
  apt,
  aptKeyModule,
  aptRepository,
  packageModule,
  git,
  sysctl,
  pamLimits,
  sudoers,
  iptables,
  ufw,
  hostname,
  dpkgSelections,
  debconf,
  pip,
  copyModule,
  fileModule,
  statModule,
  lineinfileModule,
  templateModule,
  replaceModule,
  slurpModule,
  blockinfileModule,
  iniFileModule,
  tempfileModule,
  findFilesModule,
  assembleModule,
  fetchModule,
  authorizedKeyModule,
  knownHostsModule,
  unarchiveModule,
  uriModule,
  getUrlModule,
  asyncStatusModule,
  validateArgumentSpec,
];

const byName = new Map<string, ModuleDef>();
for (const def of all) {
  for (const name of [def.name, ...(def.aliases ?? [])]) {
    byName.set(name, def);
    // A collection's module (community.general.launchd) has no builtin short name.
    if (name.includes('.')) continue;
    byName.set(`ansible.builtin.${name}`, def);
    byName.set(`ansible.legacy.${name}`, def);
  }
}

export function findModule(name: string): ModuleDef | undefined {
  return byName.get(name);
}

export function moduleNames(): string[] {
  return all.map((def) => def.name);
}
