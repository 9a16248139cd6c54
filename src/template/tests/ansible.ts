import { existsSync, lstatSync, statSync } from 'node:fs';
import { dictGet, dictHas, isNumeric, numValue, pyEquals, PyError, pyIterable, pyStr, pyTruthy, pyTypeName, toKey } from '../python/index.js';
import type { Test } from '../registry.js';
import { pyContains } from '../runtime/access.js';
import { PyDict, PyVault, type PyValue } from '../values.js';
import { filterError, isStrValue, text } from '../filters/common.js';
import { compilePyRegex, matchAtStart, search } from '../filters/pyregex.js';
import { posixAbspath, posixDirname } from '../filters/posixpath.js';
import { bind } from '../filters/signature.js';
import { compareVersions, type VersionType } from './versions.js';

/**
 * Ansible's tests (lib/ansible/plugins/test/core.py, files.py, mathstuff.py, uri.py):
 * task results, regular expressions, versions, sets, controller paths and URIs.
 */

function resultTest(name: string, read: (result: PyDict) => PyValue): Test {
  return (_env, value, call) => {
    bind({ name, params: ['result'] }, value, call);
    if (!(value instanceof PyDict)) throw filterError(`The '${name}' test expects a dictionary`);
    return read(value);
  };
}

const get = (d: PyDict, key: string, fallback: PyValue): PyValue => dictGet(d, key) ?? fallback;

const failed = resultTest('failed', (r) => get(r, 'failed', false));
const unreachable = resultTest('unreachable', (r) => get(r, 'unreachable', false));
const skipped = resultTest('skipped', (r) => get(r, 'skipped', false));
const changed = resultTest('changed', (r) => {
  if (dictHas(r, 'changed')) return get(r, 'changed', false);
  const results = dictGet(r, 'results');
  if (Array.isArray(results) && results.length === 0) throw new PyError('IndexError', 'list index out of range');
  if (Array.isArray(results) && results[0] instanceof PyDict) {
    return results.some((item) => item instanceof PyDict && pyTruthy(get(item, 'changed', false)));
  }
  return false;
});
/** `started`/`finished` of an async result (a non-async result counts as both, with a warning). */
const asyncState =
  (name: string): Test =>
  (env, value, call) =>
    resultTest(name, (r) => {
      if (dictHas(r, name)) return pyEquals(get(r, name, 0), 1);
      env.warn?.(`The '${name}' test expects an async task, but a non-async task was tested`);
      return true;
    })(env, value, call);

const negate =
  (test: Test): Test =>
  (env, value, call) =>
    !pyTruthy(test(env, value, call));

function regexTest(name: string, matchType: 'match' | 'search' | null): Test {
  const params = ['value=', 'pattern=', 'ignorecase=', 'multiline='];
  return (_env, value, call) => {
    const b = bind({ name, params: matchType ? params : [...params, 'match_type='] }, value, call);
    const compiled = compilePyRegex(text(b.values.get('pattern') ?? ''), {
      ignorecase: pyTruthy(b.values.get('ignorecase') ?? false),
      multiline: pyTruthy(b.values.get('multiline') ?? false),
    });
    const subject = isStrValue(value) ? text(value) : pyStr(value);
    const how = matchType ?? text(b.values.get('match_type') ?? 'search');
    if (how === 'match') return matchAtStart(compiled, subject) !== null;
    if (how === 'fullmatch') {
      const m = matchAtStart(compiled, subject);
      return m !== null && m[0].length === subject.length;
    }
    return search(compiled, subject) !== null;
  };
}

const OPERATORS: Record<string, (c: number) => boolean> = {
  eq: (c) => c === 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
  ne: (c) => c !== 0,
};
const OPERATOR_ALIASES: Record<string, string> = {
  '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le',
  '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne',
};
const VERSION_TYPES = ['loose', 'strict', 'semver', 'semantic', 'pep440'];

const version: Test = (_env, value, call) => {
  const b = bind({ name: 'version_compare', params: ['value', 'version', 'operator=', 'strict=', 'version_type='] }, value, call);
  const strict = b.values.get('strict') ?? null;
  const versionType = b.values.get('version_type') ?? null;
  const other = b.values.get('version') ?? null;
  if (strict !== null && versionType !== null) throw filterError("Cannot specify both 'strict' and 'version_type'");
  if (!pyTruthy(value)) throw filterError('Input version value cannot be empty');
  if (!pyTruthy(other)) throw filterError('Version parameter to compare against cannot be empty');
  let type: VersionType = 'loose';
  if (pyTruthy(strict)) type = 'strict';
  else if (versionType !== null && pyTruthy(versionType)) {
    const name = text(versionType);
    if (!VERSION_TYPES.includes(name)) {
      throw filterError(`Invalid version type (${name}). Must be one of ${VERSION_TYPES.map((t) => `'${t}'`).join(', ')}`);
    }
    type = name as VersionType;
  }
  const operator = OPERATOR_ALIASES[text(b.values.get('operator') ?? 'eq')];
  if (!operator) {
    throw filterError(
      `Invalid operator type (${text(b.values.get('operator') ?? '')}). Must be one of ${Object.keys(OPERATOR_ALIASES).map((o) => `'${o}'`).join(', ')}`,
    );
  }
  try {
    return (OPERATORS[operator] ?? (() => false))(compareVersions(pyStr(value), pyStr(other), type));
  } catch (error) {
    if (error instanceof Error) throw filterError(`Version comparison failed: ${error.message}`);
    throw error;
  }
};

const truthiness = (name: string, wanted: boolean): Test => (_env, value, call) => {
  const b = bind({ name, params: ['value', 'convert_bool='] }, value, call);
  let v = value;
  if (pyTruthy(b.values.get('convert_bool') ?? false)) v = convertBool(value) ?? value;
  return pyTruthy(v) === wanted;
};

/** ansible.module_utils.parsing.convert_bool.boolean; undefined for values it rejects. */
function convertBool(v: PyValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  const normalized = isStrValue(v) ? text(v).toLowerCase().trim() : isNumeric(v) ? numValue(v) : undefined;
  if (['y', 'yes', 'on', '1', 'true', 't', 1, 1.0].includes(normalized as string | number)) return true;
  if (['n', 'no', 'off', '0', 'false', 'f', 0, 0.0].includes(normalized as string | number)) return false;
  return undefined;
}

/** `set(a) <= set(b)`: hashable members only, as Python's set() requires. */
function asSet(v: PyValue): PyValue[] {
  const items = pyIterable(v);
  items.forEach(toKey);
  return items;
}

const subset: Test = (_env, value, call) => {
  const b = bind({ name: 'issubset', params: ['a', 'b'] }, value, call);
  const other = asSet(b.values.get('b') ?? null);
  return asSet(value).every((x) => other.some((y) => pyEquals(x, y)));
};

const superset: Test = (_env, value, call) => {
  const b = bind({ name: 'issuperset', params: ['a', 'b'] }, value, call);
  const mine = asSet(value);
  return asSet(b.values.get('b') ?? null).every((y) => mine.some((x) => pyEquals(x, y)));
};

const contains: Test = (_env, value, call) => {
  const b = bind({ name: 'contains', params: ['seq', 'value'] }, value, call);
  return pyContains(value, b.values.get('value') ?? null);
};

const nan: Test = (_env, value, call) => {
  bind({ name: 'isnotanumber', params: ['x'] }, value, call);
  return isNumeric(value) && Number.isNaN(numValue(value));
};

/** Python's `any`/`all` over an iterable. */
const anyOf: Test = (_env, value, call) => {
  bind({ name: 'any', params: ['iterable'] }, value, call);
  return pyIterable(value).some(pyTruthy);
};
const allOf: Test = (_env, value, call) => {
  bind({ name: 'all', params: ['iterable'] }, value, call);
  return pyIterable(value).every(pyTruthy);
};

const vaultEncrypted: Test = (_env, value, call) => {
  bind({ name: 'vault_encrypted', params: ['value'] }, value, call);
  return value instanceof PyVault && value.ciphertext.startsWith('$ANSIBLE_VAULT;');
};

/** os.path predicates on the controller; relative paths start from the controller's cwd. */
function pathTest(name: string, check: (path: string) => boolean): Test {
  return (_env, value, call) => {
    bind({ name, params: ['path'] }, value, call);
    if (!isStrValue(value)) {
      if (typeof value === 'number') return false;
      throw new PyError('TypeError', `stat: path should be string, bytes, os.PathLike or integer, not ${pyTypeName(value)}`);
    }
    return check(text(value));
  };
}

const safely =
  (fn: (path: string) => boolean): ((path: string) => boolean) =>
  (path) => {
    try {
      return fn(path);
    } catch {
      return false;
    }
  };

const isMount = safely((path) => {
  const abs = posixAbspath(path, process.cwd());
  const self = lstatSync(abs);
  if (self.isSymbolicLink()) return false;
  const parent = lstatSync(posixDirname(abs) || '/');
  return abs === '/' || self.dev !== parent.dev || self.ino === parent.ino;
});

const isAbs: Test = (_env, value, call) => {
  bind({ name: 'isabs', params: ['s'] }, value, call);
  if (!isStrValue(value)) throw new PyError('TypeError', `expected str, bytes or os.PathLike object, not ${pyTypeName(value)}`);
  return text(value).startsWith('/');
};

const sameFile: Test = (_env, value, call) => {
  const b = bind({ name: 'samefile', params: ['f1', 'f2'] }, value, call);
  const a = statSync(text(value));
  const other = statSync(text(b.values.get('f2') ?? ''));
  return a.dev === other.dev && a.ino === other.ino;
};

/** urllib.parse.urlparse's scheme, as `uri`/`url`/`urn` read it. */
function uriParts(value: PyValue): { scheme: string; netloc: string } {
  const s = pyStr(value);
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(s);
  const scheme = m ? (m[1] ?? '').toLowerCase() : '';
  const rest = m ? (m[2] ?? '') : s;
  const netloc = rest.startsWith('//') ? (/^\/\/([^/?#]*)/.exec(rest)?.[1] ?? '') : '';
  return { scheme, netloc };
}

const uri: Test = (_env, value, call) => {
  const b = bind({ name: 'is_uri', params: ['value', 'schemes='] }, value, call);
  const schemes = b.values.get('schemes');
  if (schemes === undefined || schemes === null || !pyTruthy(schemes)) return true;
  return pyContains(schemes, uriParts(value).scheme);
};

const url: Test = (env, value, call) => {
  if (!uri(env, value, call)) return false;
  const parts = uriParts(value);
  return parts.netloc !== '' || parts.scheme === 'file';
};

const urn: Test = (_env, value, call) => {
  bind({ name: 'is_urn', params: ['value'] }, value, call);
  return uriParts(value).scheme === 'urn';
};

export const ansibleTests: Record<string, Test> = {
  failed,
  failure: failed,
  succeeded: negate(failed),
  success: negate(failed),
  successful: negate(failed),
  reachable: negate(unreachable),
  unreachable,
  changed,
  change: changed,
  skipped,
  skip: skipped,
  finished: asyncState('finished'),
  started: asyncState('started'),
  match: regexTest('match', 'match'),
  search: regexTest('search', 'search'),
  regex: regexTest('regex', null),
  version_compare: version,
  version,
  any: anyOf,
  all: allOf,
  truthy: truthiness('truthy', true),
  falsy: truthiness('falsy', false),
  vault_encrypted: vaultEncrypted,
  subset,
  issubset: subset,
  superset,
  issuperset: superset,
  contains,
  nan,
  isnan: nan,
  directory: pathTest('isdir', safely((p) => statSync(p).isDirectory())),
  is_dir: pathTest('isdir', safely((p) => statSync(p).isDirectory())),
  file: pathTest('isfile', safely((p) => statSync(p).isFile())),
  is_file: pathTest('isfile', safely((p) => statSync(p).isFile())),
  link: pathTest('islink', safely((p) => lstatSync(p).isSymbolicLink())),
  is_link: pathTest('islink', safely((p) => lstatSync(p).isSymbolicLink())),
  exists: pathTest('exists', (p) => existsSync(p)),
  link_exists: pathTest('lexists', safely((p) => Boolean(lstatSync(p)))),
  abs: isAbs,
  is_abs: isAbs,
  same_file: sameFile,
  is_same_file: sameFile,
  mount: pathTest('ismount', isMount),
  is_mount: pathTest('ismount', isMount),
  uri,
  url,
  urn,
};
