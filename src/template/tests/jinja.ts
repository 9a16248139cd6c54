import { PyCallable, callMethod, protocol, isInt, isNumeric, isStr, pyCompareOp, pyEquals, pyIterable, pyLength, pyMod, pyStr, pyTruthy } from '../python/index.js';
import type { PluginEnv, Test } from '../registry.js';
import { pyContains } from '../runtime/access.js';
import { PyDict, PyFloat, PyTuple, PyUndefined, type PyValue } from '../values.js';
import { filters } from '../filters/index.js';
import { bind, type Signature } from '../filters/signature.js';
import { couldNotLoad } from '../syntax/errors.js';

/** Jinja2 3.1.2's builtin tests (jinja2/tests.py). */

const sig = (name: string, params: string[]): Signature => ({ name, params });

const unary =
  (s: Signature, fn: (v: PyValue) => boolean): Test =>
  (_env, value, call) => {
    bind(s, value, call);
    return fn(value);
  };

const binary =
  (s: Signature, fn: (a: PyValue, b: PyValue) => boolean): Test =>
  (_env, value, call) => {
    const b = bind(s, value, call);
    return fn(value, b.values.get(s.params[1] ?? '') ?? null);
  };

/** `a is b` for template values: the same object, or the same immutable scalar. */
const sameAs = (a: PyValue, b: PyValue): boolean => a === b;

function isSequence(v: PyValue): boolean {
  try {
    pyLength(v);
  } catch {
    return false;
  }
  return isStr(v) || Array.isArray(v) || v instanceof PyTuple || v instanceof PyDict;
}

function isIterable(v: PyValue): boolean {
  try {
    pyIterable(v);
    return true;
  } catch {
    return false;
  }
}

const compare = (op: '<' | '<=' | '>' | '>='): ((a: PyValue, b: PyValue) => boolean) => (a, b) => pyCompareOp(op, a, b);
const eq = (name: string): Test => binary(sig(name, ['a', 'b']), pyEquals);
const ne = (name: string): Test => binary(sig(name, ['a', 'b']), (a, b) => !pyEquals(a, b));
const gt = (name: string): Test => binary(sig(name, ['a', 'b']), compare('>'));
const ge = (name: string): Test => binary(sig(name, ['a', 'b']), compare('>='));
const lt = (name: string): Test => binary(sig(name, ['a', 'b']), compare('<'));
const le = (name: string): Test => binary(sig(name, ['a', 'b']), compare('<='));

/**
 * `value in env.filters`: Ansible's plugin loader answers by loading the plugin, so an
 * unknown name fails the template instead of testing false.
 */
function isKnownPlugin(value: PyValue, known: (name: string) => boolean): boolean {
  const name = isStr(value) ? pyStr(value) : undefined;
  if (name !== undefined && known(name)) return true;
  const shown = name ?? pyStr(value);
  throw couldNotLoad(shown, 0, 0, true);
}

/** The registry of tests, filled by tests/index.ts, for the `test` test. */
export const knownTests = new Set<string>();

export const jinjaTests: Record<string, Test> = {
  odd: unary(sig('test_odd', ['value']), (v) => pyEquals(pyMod(v, 2), 1)),
  even: unary(sig('test_even', ['value']), (v) => pyEquals(pyMod(v, 2), 0)),
  divisibleby: binary(sig('test_divisibleby', ['value', 'num']), (v, n) => pyEquals(pyMod(v, n), 0)),
  defined: unary(sig('test_defined', ['value']), (v) => !(v instanceof PyUndefined)),
  undefined: unary(sig('test_undefined', ['value']), (v) => v instanceof PyUndefined),
  filter: (_env: PluginEnv, value, call) => {
    bind(sig('test_filter', ['value']), value, call);
    return isKnownPlugin(value, (name) => name in filters);
  },
  test: (_env: PluginEnv, value, call) => {
    bind(sig('test_test', ['value']), value, call);
    return isKnownPlugin(value, (name) => knownTests.has(name));
  },
  none: unary(sig('test_none', ['value']), (v) => v === null),
  boolean: unary(sig('test_boolean', ['value']), (v) => typeof v === 'boolean'),
  false: unary(sig('test_false', ['value']), (v) => v === false),
  true: unary(sig('test_true', ['value']), (v) => v === true),
  integer: unary(sig('test_integer', ['value']), (v) => isInt(v)),
  float: unary(sig('test_float', ['value']), (v) => v instanceof PyFloat),
  lower: unary(sig('test_lower', ['value']), (v) => pyTruthy(callMethod(pyStr(v), 'islower'))),
  upper: unary(sig('test_upper', ['value']), (v) => pyTruthy(callMethod(pyStr(v), 'isupper'))),
  string: unary(sig('test_string', ['value']), isStr),
  mapping: unary(sig('test_mapping', ['value']), (v) => v instanceof PyDict),
  number: unary(sig('test_number', ['value']), (v) => isNumeric(v)),
  sequence: unary(sig('test_sequence', ['value']), isSequence),
  iterable: unary(sig('test_iterable', ['value']), isIterable),
  // Python's callable(): functions, methods, macros, joiners — anything with a call hook.
  callable: unary(sig('callable', ['obj']), (v) => v instanceof PyCallable || typeof protocol(v)?.pyCall === 'function'),
  sameas: binary(sig('test_sameas', ['value', 'other']), sameAs),
  // fleet's strings carry no Markup type, so nothing is already escaped.
  escaped: unary(sig('test_escaped', ['value']), () => false),
  in: binary(sig('test_in', ['value', 'seq']), (v, seq) => pyContains(seq, v)),
  '==': eq('eq'),
  eq: eq('eq'),
  equalto: eq('eq'),
  '!=': ne('ne'),
  ne: ne('ne'),
  '>': gt('gt'),
  gt: gt('gt'),
  greaterthan: gt('gt'),
  '>=': ge('ge'),
  ge: ge('ge'),
  '<': lt('lt'),
  lt: lt('lt'),
  lessthan: lt('lt'),
  '<=': le('le'),
  le: le('le'),
};

