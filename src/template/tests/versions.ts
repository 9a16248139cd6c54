import { pyCompare, PyError } from '../python/index.js';
import { PluginError } from '../filters/common.js';

/**
 * The version classes Ansible's `version` test compares with: LooseVersion and
 * StrictVersion (ansible/module_utils/compat/version.py) and SemanticVersion
 * (ansible/utils/version.py) and PEP 440 (packaging.version.Version). Each parses to a key
 * compared with Python's ordering.
 */
export type VersionType = 'loose' | 'strict' | 'semver' | 'semantic' | 'pep440';

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

// packaging.version.VERSION_PATTERN (https://peps.python.org/pep-0440/#appendix-b-parsing-version-strings-with-regular-expressions).
const PEP440 =
  /^\s*v?(?:(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*)([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?([0-9]+)?)?((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?([-_.]?(dev)[-_.]?([0-9]+)?)?)(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$/i;

/** A sort key part: -Infinity/+Infinity bounds or a number/string, ordered like packaging's _cmpkey. */
type KeyPart = number | string | KeyPart[];

function pep440Key(v: string): KeyPart[] {
  const m = PEP440.exec(v);
  if (!m) throw new PluginError('InvalidVersion', `Invalid version: '${v}'`);
  const release = (m[2] ?? '').split('.').map(Number);
  while (release.length > 1 && release[release.length - 1] === 0) release.pop();
  const preLetter = m[4]?.toLowerCase();
  const normalizedPre = preLetter === undefined ? undefined : ({ alpha: 'a', beta: 'b', c: 'rc', pre: 'rc', preview: 'rc' }[preLetter] ?? preLetter);
  const hasPost = m[6] !== undefined;
  const post = Number(m[7] ?? m[9] ?? 0);
  const hasDev = m[11] !== undefined;
  let pre: KeyPart;
  if (normalizedPre === undefined && !hasPost && hasDev) pre = -Infinity;
  else if (normalizedPre === undefined) pre = Infinity;
  else pre = [normalizedPre, Number(m[5] ?? 0)];
  const local = m[13] === undefined ? -Infinity : m[13].toLowerCase().split(/[-_.]/).map((part): KeyPart => (/^\d+$/.test(part) ? [Number(part), ''] : [-Infinity, part]));
  return [Number(m[1] ?? 0), release, pre, hasPost ? post : -Infinity, hasDev ? Number(m[12] ?? 0) : Infinity, local];
}

function compareKeys(a: KeyPart, b: KeyPart): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = compareKeys(a[i] as KeyPart, b[i] as KeyPart);
      if (c !== 0) return c;
    }
    return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1;
  }
  // Infinity bounds compare with anything; a real tuple sits between them.
  const rank = (x: KeyPart): number => (x === -Infinity ? -1 : x === Infinity ? 1 : 0);
  if (rank(a) !== 0 || rank(b) !== 0) return Math.sign(rank(a) - rank(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

export function compareVersions(a: string, b: string, type: VersionType): number {
  if (type === 'strict') return compareStrict(a, b);
  if (type === 'semver' || type === 'semantic') return compareSemantic(a, b);
  if (type === 'pep440') return compareKeys(pep440Key(a), pep440Key(b));
  return compareLoose(a, b);
}
