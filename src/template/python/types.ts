import { PyDict, PyFloat, PyTuple, PyUnsafe, type PyObject, type PyValue } from '../values.js';

/**
 * A view over a dict (`d.keys()`, `d.values()`, `d.items()`): iterates like a list and
 * prints as Python does (`dict_keys(['a'])`).
 */
export class PyDictView implements PyObject {
  constructor(
    readonly pyType: 'dict_keys' | 'dict_values' | 'dict_items',
    readonly dict: PyDict,
  ) {}

  items(): PyValue[] {
    if (this.pyType === 'dict_keys') return [...this.dict.keys()];
    if (this.pyType === 'dict_values') return [...this.dict.values()];
    return [...this.dict].map(([k, v]) => new PyTuple([k, v]));
  }
}

/**
 * A tuple whose items are also attributes (Python's namedtuple), such as the `(grouper, list)`
 * pairs Jinja2's `groupby` returns. It prints as a plain tuple, as Jinja2's _GroupTuple does.
 */
export class PyNamedTuple extends PyTuple {
  constructor(
    items: PyValue[],
    readonly fields: string[],
  ) {
    super(items);
  }

  pyGetAttr(name: string): PyValue | undefined {
    const i = this.fields.indexOf(name);
    return i < 0 ? undefined : (this.items[i] ?? null);
  }
}

export type PyFunction = (args: PyValue[], kwargs: Map<string, PyValue>) => PyValue;

/** Anything callable from a template: Python methods, Jinja2 globals, macros. */
export class PyCallable implements PyObject {
  constructor(
    readonly name: string,
    readonly fn: PyFunction,
    readonly pyType: string = 'builtin_function_or_method',
  ) {}
}

/**
 * Hooks an evaluator object (namespace, loop, cycler, macro…) may implement so the Python
 * helpers print, iterate and size it the way Jinja2 does.
 */
export interface PyProtocol extends PyObject {
  pyRepr?(): string;
  pyStr?(): string;
  pyIter?(): PyValue[];
  pyTruthy?(): boolean;
  /** `obj.name` for Python attributes (Jinja2 tries these before `obj['name']`). */
  pyGetAttr?(name: string): PyValue | undefined;
  /** `obj(*args, **kwargs)`. */
  pyCall?(args: PyValue[], kwargs: Map<string, PyValue>): PyValue;
  /** Jinja2 names objects by module path in undefined messages (`jinja2.utils.Namespace`). */
  readonly pyQualifiedName?: string;
  /** The C type name Python's operator errors show when it differs from __name__ (`datetime.datetime`). */
  readonly pyTpName?: string;
  /** `self + other` / `self - other` (or `other op self` when `reflected`); undefined for NotImplemented. */
  pyBinary?(op: '+' | '-', other: PyValue, reflected: boolean): PyValue | undefined;
  /** Ordering against another value (<0, 0, >0), or undefined when the types do not compare. */
  pyOrder?(other: PyValue): number | undefined;
}

export const isStr = (v: PyValue): v is string | PyUnsafe => typeof v === 'string' || v instanceof PyUnsafe;
/** int, float or bool: the values arithmetic and numeric comparison accept. */
export const isNumeric = (v: PyValue): v is number | boolean | PyFloat =>
  typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;

/** The text of a str (plain or `!unsafe`). */
export function strValue(v: string | PyUnsafe): string {
  return typeof v === 'string' ? v : v.value;
}

/** The number a numeric value stands for (True → 1). */
export function numValue(v: number | boolean | PyFloat): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v.value;
}

export function protocol(v: PyValue): PyProtocol | undefined {
  return v !== null && typeof v === 'object' && 'pyType' in v ? (v as PyProtocol) : undefined;
}
