import { pyCompare, PyError } from '../python/index.js';
import { PluginError } from '../filters/common.js';

/**
 * The version classes Ansible's `version` test compares with: LooseVersion and
 * StrictVersion (ansible/module_utils/compat/version.py) and SemanticVersion
 * (ansible/utils/version.py). Each parses to a key compared with Python's ordering.
 */
export type VersionType = 'loose' | 'strict' | 'semver' | 'semantic';

const valueError = (message: string): PluginError => new PyError('ValueError', message);

/** LooseVersion: runs of digits (as ints) and lowercase letters, other text kept as is. */
function looseComponents(v: string): Array<number | string> {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((part) => part !== '' && part !== '.')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function compareLoose(a: string, b: string): number {
  return pyCompare(looseComponents(a), looseComponents(b));
}

interface StrictVersion {
  version: number[];
  prerelease: [string, number] | null;
}

function parseStrict(v: string): StrictVersion {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw valueError(`invalid version number '${v}'`);
  const version = [Number(m[1]), Number(m[2]), m[4] ? Number(m[4]) : 0];
  return { version, prerelease: m[5] ? [m[5][0] ?? '', Number(m[6])] : null };
}

function compareStrict(a: string, b: string): number {
  const x = parseStrict(a);
  const y = parseStrict(b);
  const byVersion = pyCompare(x.version, y.version);
  if (byVersion !== 0) return byVersion;
  if (!x.prerelease && !y.prerelease) return 0;
  if (x.prerelease && !y.prerelease) return -1;
  if (!x.prerelease && y.prerelease) return 1;
  return pyCompare(x.prerelease ?? [], y.prerelease ?? []);
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function compareSemantic(a: string, b: string): number {
  const parse = (v: string): { core: number[]; pre: Array<number | string> } => {
    const m = SEMVER.exec(v);
    if (!m) throw valueError(`invalid semantic version '${v}'`);
    const pre = m[4] ? m[4].split('.').map((id) => (/^\d+$/.test(id) ? Number(id) : id)) : [];
    return { core: [Number(m[1]), Number(m[2]), Number(m[3])], pre };
  };
  const x = parse(a);
  const y = parse(b);
  const byCore = pyCompare(x.core, y.core);
  if (byCore !== 0) return byCore;
  if (x.pre.length === 0 || y.pre.length === 0) return x.pre.length === y.pre.length ? 0 : x.pre.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i] as number | string;
    const q = y.pre[i] as number | string;
    if (p === q) continue;
    // Numeric identifiers sort before alphanumeric ones (semver.org §11).
    if (typeof p !== typeof q) return typeof p === 'number' ? -1 : 1;
    return p < q ? -1 : 1;
  }
  return x.pre.length - y.pre.length === 0 ? 0 : x.pre.length < y.pre.length ? -1 : 1;
}

export function compareVersions(a: string, b: string, type: VersionType): number {
  if (type === 'strict') return compareStrict(a, b);
  if (type === 'semver' || type === 'semantic') return compareSemantic(a, b);
  return compareLoose(a, b);
}
