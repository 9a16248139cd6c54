import { Script, sh } from '../../shell/script.js';
import { pyRepr } from '../../template/python/repr.js';
import { PyDict, type PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { BIN_PATH } from './bin-path.js';
import { APT_PACKAGES, aptPackages } from './package-facts-apt.js';

// modules/package_facts.py
const spec: ArgSpec = {
  options: {
    manager: { type: 'list', elements: 'str', default: ['auto'] },
    strategy: { type: 'str', choices: ['first', 'all'], default: 'first' },
  },
};

/**
 * The managers 2.14 knows and the executable that makes each usable. Ansible orders them as
 * a Python set of classes iterates, which changes from run to run; fleet puts apt first.
 * rpm and apt are python-library managers in Ansible: fleet reads apt's data with apt's and
 * dpkg's own tools, and finding the others' executables only tells that they are there.
 */
const MANAGERS: ReadonlyArray<readonly [string, string]> = [
  ['apt', 'dpkg-query'],
  ['rpm', 'rpm'],
  ['pacman', 'pacman'],
  ['pkg', 'pkg'],
  ['portage', 'qlist'],
  ['apk', 'apk'],
  ['pkg_info', 'pkg_info'],
];
const MANAGER_NAMES = MANAGERS.map(([name]) => name);

/** The requested managers as package_facts.py orders them: lower-cased, `auto` replaced by every manager after the others. */
function requestedManagers(given: readonly string[]): string[] {
  const managers = given.map((name) => name.toLowerCase());
  const auto = managers.indexOf('auto');
  if (auto >= 0) {
    managers.push(...MANAGER_NAMES);
    managers.splice(auto, 1);
  }
  return managers;
}

/** One round trip: which of the managers' executables the host has, and apt's packages when apt is one. */
function probeScript(managers: readonly string[]): Script {
  const probes = MANAGERS.filter(([name]) => managers.includes(name)).map(
    ([name, executable]) => sh`if fleet_bin_path ${executable}; then fleet_emit available ${name}; fi`,
  );
  const apt = managers.includes('apt') ? [Script.raw('if fleet_bin_path dpkg-query && fleet_bin_path apt-get; then'), APT_PACKAGES, Script.raw('fi')] : [];
  return Script.join([BIN_PATH, ...probes, ...apt]);
}

function unimplementedManager(name: string): string {
  return `fleet's package_facts does not read the ${name} package manager's database (ansible-playbook's does); this host has it: run this task with ansible-playbook, or give manager: apt`;
}

/**
 * package_facts: ansible_facts.packages from the host's package manager, as 2.14 builds it.
 * apt's packages come from dpkg-query and the package indexes apt downloaded (see
 * package-facts-apt.ts); a host where another manager would be used fails, naming it.
 */
export const packageFacts: ModuleDef = {
  name: 'package_facts',
  spec,
  supportsCheckMode: true,
  asyncJob: true,
  async run(args, ctx): Promise<ModuleResult> {
    const given = args.get('manager') as string[];
    const strategy = args.get('strategy') as string;
    const managers = requestedManagers(given);
    const unsupported = [...new Set(managers.filter((name) => !MANAGER_NAMES.includes(name)))];
    if (unsupported.length > 0) {
      const msg = given.includes('auto')
        ? 'Could not auto detect a usable package manager, check warnings for details.'
        : `Unsupported package managers requested: ${unsupported.join(', ')}`;
      return { failed: true, msg };
    }
    const output = await ctx.remote(probeScript(managers), { readOnly: true });
    const available = new Set(output.fields.get('available') ?? []);
    let found = 0;
    let packages = new PyDict();
    for (const name of new Set(managers)) {
      if (found > 0 && strategy === 'first') break;
      if (!available.has(name)) continue;
      if (name !== 'apt') return { failed: true, msg: unimplementedManager(name) };
      if (!output.fields.has('packages')) continue;
      found += 1;
      packages = aptPackages(field(output, 'packages'), field(output, 'arch'));
    }
    if (found === 0) {
      const listed = pyRepr(managers as PyValue);
      return {
        failed: true,
        msg: `Could not detect a supported package manager from the following list: ${listed}, or the required Python library is not installed. Check warnings for details.`,
      };
    }
    return { ansible_facts: new PyDict([['packages', packages]]) };
  },
};
