/**
 * PEP 440 versions and specifiers as the `packaging` library (vendored in setuptools'
 * pkg_resources, which the pip module uses) compares them: Version ordering (_cmpkey) and
 * Specifier.contains with prereleases=True.
 */

const VERSION_PATTERN = new RegExp(
  '^\\s*v?(?:(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<pre_l>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<pre_n>[0-9]+)?)?' +
    '(?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?)' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);

export interface Version {
  epoch: number;
  release: number[];
  pre: [string, number] | null;
  post: number | null;
  dev: number | null;
  local: (string | number)[] | null;
}

const PRE_LETTER: Record<string, string> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', pre: 'rc', preview: 'rc', rc: 'rc' };

export function parseVersion(text: string): Version | null {
  const groups = VERSION_PATTERN.exec(text)?.groups;
  if (!groups) return null;
  const num = (value: string | undefined): number => (value === undefined ? 0 : Number(value));
  const postNumber = groups.post_n1 ?? groups.post_n2;
  return {
    epoch: num(groups.epoch),
    release: (groups.release as string).split('.').map(Number),
    pre: groups.pre_l ? [PRE_LETTER[groups.pre_l.toLowerCase()] as string, num(groups.pre_n)] : null,
    post: groups.post ? num(postNumber) : null,
    dev: groups.dev ? num(groups.dev_n) : null,
    local: groups.local ? groups.local.toLowerCase().split(/[-_.]/).map((part) => (/^[0-9]+$/.test(part) ? Number(part) : part)) : null,
  };
}

/** str(Version): the normalized form. */
export function versionText(v: Version, withLocal = true): string {
  let text = `${v.epoch ? `${v.epoch}!` : ''}${v.release.join('.')}`;
  if (v.pre) text += `${v.pre[0]}${v.pre[1]}`;
  if (v.post !== null) text += `.post${v.post}`;
  if (v.dev !== null) text += `.dev${v.dev}`;
  if (withLocal && v.local) text += `+${v.local.join('.')}`;
  return text;
}

const publicOf = (v: Version): Version => ({ ...v, local: null });
const baseOf = (v: Version): Version => ({ epoch: v.epoch, release: v.release, pre: null, post: null, dev: null, local: null });
const isPrerelease = (v: Version): boolean => v.pre !== null || v.dev !== null;

function compareNumbers(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i] ?? 0, b[i] ?? 0];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

// _cmpkey's pieces as ranks: [-Infinity, value…, +Infinity] collapsed into comparable numbers.
function preRank(v: Version): [number, string, number] {
  if (v.pre === null && v.post === null && v.dev !== null) return [-1, '', 0];
  if (v.pre === null) return [1, '', 0];
  return [0, v.pre[0], v.pre[1]];
}

function compareLocal(a: Version['local'], b: Version['local']): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [x, y] = [a[i], b[i]];
    if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
    // A number part sorts after any letters part.
    if (typeof x !== typeof y) return typeof x === 'number' ? 1 : -1;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: Version, b: Version): number {
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  const release = compareNumbers(a.release, b.release);
  if (release !== 0) return release;
  const [pa, pb] = [preRank(a), preRank(b)];
  if (pa[0] !== pb[0]) return pa[0] < pb[0] ? -1 : 1;
  if (pa[1] !== pb[1]) return pa[1] < pb[1] ? -1 : 1;
  if (pa[2] !== pb[2]) return pa[2] < pb[2] ? -1 : 1;
  const [posta, postb] = [a.post ?? -1, b.post ?? -1];
  if (posta !== postb) return posta < postb ? -1 : 1;
  const [deva, devb] = [a.dev ?? Infinity, b.dev ?? Infinity];
  if (deva !== devb) return deva < devb ? -1 : 1;
  return compareLocal(a.local, b.local);
}

/** packaging's _version_split: release parts, a `1rc1`-style part split in two. */
function versionSplit(text: string): string[] {
  return text.split('.').flatMap((item) => {
    const match = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/.exec(item);
    return match ? [match[1] as string, match[2] as string] : [item];
  });
}

const isSuffix = (part: string): boolean => ['dev', 'a', 'b', 'rc', 'post'].some((prefix) => part.startsWith(prefix));

function wildcardEquals(prospective: Version, spec: string): boolean {
  const specVersion = parseVersion(spec);
  if (!specVersion) return false;
  const specParts = versionSplit(versionText(specVersion));
  const prospectiveParts = versionSplit(versionText(prospective, false));
  // _pad_version: the prospective release padded with zeros to the spec's release length.
  const releaseLength = (parts: readonly string[]): number => {
    const index = parts.findIndex((part) => !/^[0-9]+$/.test(part));
    return index === -1 ? parts.length : index;
  };
  const [specRelease, ownRelease] = [releaseLength(specParts), releaseLength(prospectiveParts)];
  const padded = [...prospectiveParts.slice(0, ownRelease), ...Array<string>(Math.max(0, specRelease - ownRelease)).fill('0'), ...prospectiveParts.slice(ownRelease)];
  return padded.slice(0, specParts.length).join('.') === specParts.join('.');
}

function equals(prospective: Version, spec: string): boolean {
  if (spec.endsWith('.*')) return wildcardEquals(prospective, spec.slice(0, -2));
  const specVersion = parseVersion(spec);
  if (!specVersion) return false;
  return compareVersions(specVersion.local ? prospective : publicOf(prospective), specVersion) === 0;
}

/** Specifier(op + spec).contains(version, prereleases=True). */
export function specifierContains(operator: string, spec: string, version: string): boolean {
  if (operator === '===') return version.trim().toLowerCase() === spec.toLowerCase();
  const prospective = parseVersion(version);
  if (!prospective) return false;
  if (operator === '==') return equals(prospective, spec);
  if (operator === '!=') return !equals(prospective, spec);
  if (operator === '~=') {
    const parts = versionSplit(spec);
    const suffixAt = parts.findIndex(isSuffix);
    const prefix = parts.slice(0, suffixAt === -1 ? parts.length : suffixAt).slice(0, -1);
    return specifierContains('>=', spec, version) && wildcardEquals(prospective, prefix.join('.'));
  }
  const specVersion = parseVersion(spec);
  if (!specVersion) return false;
  const order = compareVersions(publicOf(prospective), specVersion);
  if (operator === '<=') return order <= 0;
  if (operator === '>=') return order >= 0;
  const sameBase = compareVersions(baseOf(prospective), baseOf(specVersion)) === 0;
  if (operator === '<') return compareVersions(prospective, specVersion) < 0 && !(!isPrerelease(specVersion) && isPrerelease(prospective) && sameBase);
  if (operator === '>') {
    if (compareVersions(prospective, specVersion) <= 0) return false;
    if (specVersion.post === null && prospective.post !== null && sameBase) return false;
    return !(prospective.local !== null && sameBase);
  }
  return false;
}
