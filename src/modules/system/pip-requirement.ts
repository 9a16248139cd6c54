import { specifierContains } from './pep440.js';

/**
 * The pip module's reading of its `name` list (modules/pip.py `_recover_package_name`,
 * `Package`), with pkg_resources.Requirement.parse's PEP 508 grammar: a name, extras, then
 * version specifiers or `@ URL`. What does not parse (a path, a URL, a VCS link) is handed to
 * pip as written and is never "present".
 */

// packaging's Specifier regex, loosely: an operator and a version, spaces between allowed.
const SPECIFIER = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*([^,;\s)]+)\s*$/;
const VERSION_OK: Record<string, RegExp> = {
  '===': /^[^\s;)]+$/,
  // == and != take a `.*` suffix or a local label; the others neither.
  '==': /^v?([0-9]+!)?[0-9]+(\.[0-9]+)*(\.\*|[-_.]?[a-z0-9]*(\+[a-z0-9]+([-_.][a-z0-9]+)*)?)$/i,
  other: /^v?([0-9]+!)?[0-9]+(\.[0-9]+)*([-_.]?(a|b|c|rc|alpha|beta|pre|preview|post|rev|r|dev)[-_.]?[0-9]*)*$/i,
};
const NAME = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*/;

export interface Requirement {
  /** pkg_resources' project_name (safe_name of the written name). */
  projectName: string;
  /** str(Requirement): name, sorted extras, sorted specifiers, or `@ URL`. */
  text: string;
  specs: [string, string][];
}

export class MarkerNotSupported extends Error {}

function specifierValid(operator: string, version: string): boolean {
  if (operator === '===') return (VERSION_OK['==='] as RegExp).test(version);
  if (operator === '==' || operator === '!=') return (VERSION_OK['=='] as RegExp).test(version);
  if (operator === '~=' && !version.includes('.')) return false;
  return (VERSION_OK.other as RegExp).test(version);
}

/** Requirement.parse, or null where it raises (the text then goes to pip untouched). */
export function parseRequirement(text: string): Requirement | null {
  const name = NAME.exec(text);
  if (!name) return null;
  let rest = text.slice(name[0].length);
  let extras: string[] = [];
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) return null;
    extras = rest.slice(1, close).split(',').map((e) => e.trim()).filter(Boolean);
    if (extras.some((e) => !/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(e))) return null;
    rest = rest.slice(close + 1).trim();
  }
  if (rest.includes(';')) throw new MarkerNotSupported(text);
  const projectName = (name[1] as string).replace(/[^A-Za-z0-9.]+/g, '-');
  const head = `${name[1] as string}${extras.length > 0 ? `[${[...extras].sort().join(',')}]` : ''}`;
  if (rest.startsWith('@')) {
    const url = rest.slice(1).trim();
    return url && !/\s/.test(url) ? { projectName, text: `${head}@ ${url}`, specs: [] } : null;
  }
  if (rest.startsWith('(') && rest.endsWith(')')) rest = rest.slice(1, -1);
  const specs: [string, string][] = [];
  if (rest.trim() !== '') {
    for (const piece of rest.split(',')) {
      const match = SPECIFIER.exec(piece);
      if (!match || !specifierValid(match[1] as string, match[2] as string)) return null;
      specs.push([match[1] as string, match[2] as string]);
    }
  }
  const specifierText = specs.map(([op, version]) => `${op}${version}`).sort().join(',');
  return { projectName, text: head + specifierText, specs };
}

/** Package.canonicalize_name. */
export function canonicalName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** A `Package` of pip.py: what goes on pip's command line, and whether an installed version satisfies it. */
export interface Package {
  /** to_native(package): the requirement as pkg_resources prints it, or the text as written. */
  text: string;
  requirement: Requirement | null;
  packageName: string;
}

export function makePackage(nameText: string, versionText: string | null = null): Package {
  let text = nameText;
  if (versionText) {
    const version = versionText.trimStart();
    text = `${nameText}${/^[0-9]/.test(version) ? '==' : ' '}${version}`;
  }
  const requirement = parseRequirement(text);
  if (!requirement) return { text: nameText, requirement: null, packageName: nameText };
  // pip.py: a `distribute` requirement that mentions setuptools stands for setuptools.
  const packageName = requirement.projectName === 'distribute' && text.includes('setuptools') ? 'setuptools' : canonicalName(requirement.projectName);
  return { text: requirement.text, requirement, packageName };
}

export const hasVersionSpecifier = (p: Package): boolean => (p.requirement?.specs.length ?? 0) > 0;

/** _recover_package_name: `['django>1.1', '<1.3']` and `['django>1.1,<1.3']` both give `['django>1.1,<1.3']`. */
export function recoverPackageNames(names: readonly string[]): string[] {
  const pieces = names.flatMap((line) => line.split(','));
  const packages: string[] = [];
  let parts: string[] = [];
  let inBrackets = false;
  const isName = (piece: string): boolean => !['>=', '<=', '>', '<', '==', '!=', '~='].some((op) => piece.trimStart().startsWith(op));
  for (const piece of pieces) {
    if (isName(piece) && !inBrackets) {
      if (parts.length > 0) packages.push(parts.join(','));
      parts = [];
    }
    if (piece.includes('[')) inBrackets = true;
    if (inBrackets && piece.includes(']')) inBrackets = false;
    parts.push(piece);
  }
  packages.push(parts.join(','));
  return packages;
}

/** _is_present: some `name==version` line of pip's list names the package at a version it accepts. */
export function isPresent(pkg: Package, installed: readonly string[]): boolean {
  const requirement = pkg.requirement;
  if (!requirement) return false;
  return installed.some((line) => {
    const parts = line.split('==');
    if (parts.length !== 2) return false;
    const [name, version] = parts as [string, string];
    return canonicalName(name) === pkg.packageName && requirement.specs.every(([op, spec]) => specifierContains(op, spec, version));
  });
}
