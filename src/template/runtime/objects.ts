import { PyDict, PyTuple, type PyObject, type PyValue } from '../values.js';
import { JinjaUndefined, PyError, dictSet, pyEquals, pyIterable, pyRepr, pyTypeName, typeError, valueError } from '../python/index.js';

/**
 * The objects Jinja2's runtime puts in templates (jinja2/runtime.py, jinja2/utils.py):
 * `loop`, macros, `namespace()`, `cycler()`, `joiner()`, `range()` and imported modules.
 */

type Kwargs = Map<string, PyValue>;

function noKwargs(name: string, kwargs: Kwargs): void {
  const first = kwargs.keys().next();
  if (!first.done) throw typeError(`${name}() got an unexpected keyword argument '${first.value}'`);
}

function toInt(v: PyValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return Number(v);
  throw typeError(`'${pyTypeName(v ?? null)}' object cannot be interpreted as an integer`);
}

/** Python's `range`: lazy in Python, printed as `range(0, 3)`, unrolled to a list by Ansible's finalize. */
export class PyRange implements PyObject {
  readonly pyType = 'range';
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {}

  static fromArgs(args: PyValue[], kwargs: Kwargs): PyRange {
    noKwargs('range', kwargs);
    if (args.length === 0) throw typeError('range expected at least 1 argument, got 0');
    if (args.length > 3) throw typeError(`range expected at most 3 arguments, got ${args.length}`);
    const nums = args.map(toInt);
    const [start, stop, step] = nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] as number, nums[1] as number, nums[2] ?? 1];
    if (step === 0) throw valueError('range() arg 3 must not be zero');
    return new PyRange(start, stop, step);
  }

  pyIter(): PyValue[] {
    const out: number[] = [];
    if (this.step > 0) for (let i = this.start; i < this.stop; i += this.step) out.push(i);
    else for (let i = this.start; i > this.stop; i += this.step) out.push(i);
    return out;
  }

  pyRepr(): string {
    return this.step === 1 ? `range(${this.start}, ${this.stop})` : `range(${this.start}, ${this.stop}, ${this.step})`;
  }

  pyTruthy(): boolean {
    return this.pyIter().length > 0;
  }

  pyGetAttr(name: string): PyValue | undefined {
    if (name === 'start' || name === 'stop' || name === 'step') return this[name];
    return undefined;
  }
}

/** A `(args, kwargs) => value` method bound to one of these objects. */
class BoundMethod implements PyObject {
  readonly pyType = 'method';
  constructor(
    readonly name: string,
    readonly fn: (args: PyValue[], kwargs: Kwargs) => PyValue,
  ) {}

  pyCall(args: PyValue[], kwargs: Kwargs): PyValue {
    return this.fn(args, kwargs);
  }

  pyRepr(): string {
    return `<bound method ${this.name}>`;
  }
}

const MISSING = Symbol('missing');

/** Jinja2's LoopContext: the `loop` variable of a `{% for %}`. */
export class LoopContext implements PyObject {
  readonly pyType = 'LoopContext';
  readonly pyQualifiedName = 'jinja2.runtime.LoopContext';
  index0 = -1;
  private lastChanged: PyTuple | typeof MISSING = MISSING;

  constructor(
    private readonly items: PyValue[],
    readonly depth0: number,
    private readonly recurse: ((items: PyValue, depth0: number) => PyValue) | undefined,
  ) {}

  private undefined(hint: string): JinjaUndefined {
    return new JinjaUndefined(hint);
  }

  get length(): number {
    return this.items.length;
  }

  pyGetAttr(name: string): PyValue | undefined {
    const i = this.index0;
    const n = this.items.length;
    switch (name) {
      case 'index0':
        return i;
      case 'index':
        return i + 1;
      case 'revindex':
        return n - i;
      case 'revindex0':
        return n - i - 1;
      case 'first':
        return i === 0;
      case 'last':
        return i === n - 1;
      case 'length':
        return n;
      case 'depth':
        return this.depth0 + 1;
      case 'depth0':
        return this.depth0;
      case 'previtem':
        return i === 0 ? this.undefined('there is no previous item') : (this.items[i - 1] ?? null);
      case 'nextitem':
        return i + 1 >= n ? this.undefined('there is no next item') : (this.items[i + 1] ?? null);
      case 'cycle':
        return new BoundMethod('LoopContext.cycle', (args) => {
          if (args.length === 0) throw typeError('no items for cycling given');
          return args[this.index0 % args.length] ?? null;
        });
      case 'changed':
        return new BoundMethod('LoopContext.changed', (args) => {
          const value = new PyTuple(args);
          if (this.lastChanged === MISSING || !pyEquals(this.lastChanged, value)) {
            this.lastChanged = value;
            return true;
          }
          return false;
        });
      default:
        return undefined;
    }
  }

  pyCall(args: PyValue[]): PyValue {
    if (!this.recurse) throw typeError("The loop must have the 'recursive' marker to be called recursively.");
    return this.recurse(args[0] ?? null, this.depth0 + 1);
  }

  pyRepr(): string {
    return `<LoopContext ${this.index0 + 1}/${this.items.length}>`;
  }
}

/** The values a macro call binds before its body runs (absent parameters use their defaults). */
export type MacroBody = (bound: Map<string, PyValue>) => PyValue;

/** Jinja2's Macro: binds arguments the way `Macro.__call__` does, with its error messages. */
export class Macro implements PyObject {
  readonly pyType = 'Macro';
  readonly pyQualifiedName = 'jinja2.runtime.Macro';

  constructor(
    readonly name: string,
    readonly params: string[],
    readonly catchVarargs: boolean,
    readonly catchKwargs: boolean,
    readonly caller: boolean,
    private readonly body: MacroBody,
  ) {}

  pyCall(args: PyValue[], kwargsIn: Kwargs): PyValue {
    const kwargs = new Map(kwargsIn);
    const bound = new Map<string, PyValue>();
    const count = this.params.length;
    this.params.slice(0, args.length).forEach((p, i) => bound.set(p, args[i] ?? null));
    let foundCaller = false;
    for (const name of this.params.slice(args.length)) {
      const value = kwargs.get(name);
      if (value !== undefined) {
        kwargs.delete(name);
        bound.set(name, value);
      }
      if (name === 'caller') foundCaller = true;
    }
    if (this.caller && !foundCaller) {
      const caller = kwargs.get('caller');
      kwargs.delete('caller');
      bound.set('caller', caller ?? new JinjaUndefined('No caller defined'));
    }
    if (this.catchKwargs) bound.set('kwargs', new PyDict(kwargs));
    else if (kwargs.size) {
      if (kwargs.has('caller')) {
        throw typeError(`macro '${this.name}' was invoked with two values for the special caller argument. This is most likely a bug.`);
      }
      throw typeError(`macro '${this.name}' takes no keyword argument ${pyRepr(kwargs.keys().next().value as string)}`);
    }
    if (this.catchVarargs) bound.set('varargs', new PyTuple(args.slice(count)));
    else if (args.length > count) throw typeError(`macro '${this.name}' takes not more than ${count} argument(s)`);
    return this.body(bound);
  }

  pyGetAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'name':
        return this.name;
      case 'arguments':
        return new PyTuple(this.params);
      case 'catch_kwargs':
        return this.catchKwargs;
      case 'catch_varargs':
        return this.catchVarargs;
      case 'caller':
        return this.caller;
      default:
        return undefined;
    }
  }

  pyRepr(): string {
    return `<Macro ${pyRepr(this.name)}>`;
  }
}

/** `namespace(...)`: the one object `{% set ns.attr = … %}` may assign to. */
export class Namespace implements PyObject {
  readonly pyType = 'Namespace';
  readonly pyQualifiedName = 'jinja2.utils.Namespace';
  readonly attrs = new PyDict();

  static create(args: PyValue[], kwargs: Kwargs): Namespace {
    const ns = new Namespace();
    if (args.length > 1) throw typeError(`dict expected at most 1 argument, got ${args.length}`);
    if (args[0] !== undefined) for (const [k, v] of pyDict([args[0]], new Map())) ns.attrs.set(k, v);
    for (const [k, v] of kwargs) ns.attrs.set(k, v);
    return ns;
  }

  pyGetAttr(name: string): PyValue | undefined {
    return this.attrs.get(name);
  }

  pyRepr(): string {
    return `<Namespace ${pyRepr(this.attrs)}>`;
  }
}

/** `cycler(*items)`. */
export class Cycler implements PyObject {
  readonly pyType = 'Cycler';
  readonly pyQualifiedName = 'jinja2.utils.Cycler';
  private pos = 0;

  constructor(private readonly items: PyValue[]) {
    if (items.length === 0) throw typeError('at least one item has to be provided');
  }

  pyGetAttr(name: string): PyValue | undefined {
    switch (name) {
      case 'current':
        return this.items[this.pos] ?? null;
      case 'next':
        return new BoundMethod('Cycler.next', () => {
          const rv = this.items[this.pos] ?? null;
          this.pos = (this.pos + 1) % this.items.length;
          return rv;
        });
      case 'reset':
        return new BoundMethod('Cycler.reset', () => {
          this.pos = 0;
          return null;
        });
      case 'items':
        return this.items;
      default:
        return undefined;
    }
  }

  pyRepr(): string {
    return '<jinja2.utils.Cycler object>';
  }
}

/** `joiner(sep=', ')`: '' the first time it is called, then the separator. */
export class Joiner implements PyObject {
  readonly pyType = 'Joiner';
  readonly pyQualifiedName = 'jinja2.utils.Joiner';
  private used = false;

  constructor(private readonly sep: PyValue) {}

  pyCall(): PyValue {
    if (!this.used) {
      this.used = true;
      return '';
    }
    return this.sep;
  }

  pyRepr(): string {
    return '<jinja2.utils.Joiner object>';
  }
}

/** What `{% import %}` binds: the imported template's exported macros and variables. */
export class TemplateModule implements PyObject {
  readonly pyType = 'TemplateModule';
  readonly pyQualifiedName = 'jinja2.environment.TemplateModule';

  constructor(
    readonly name: string,
    readonly exports: Map<string, PyValue>,
  ) {}

  pyGetAttr(name: string): PyValue | undefined {
    return this.exports.get(name);
  }

  pyRepr(): string {
    return `<TemplateModule ${pyRepr(this.name)}>`;
  }
}

/** Python's `dict(*args, **kwargs)`. */
export function pyDict(args: PyValue[], kwargs: Kwargs): PyDict {
  if (args.length > 1) throw typeError(`dict expected at most 1 argument, got ${args.length}`);
  const out = new PyDict();
  const source = args[0];
  if (source instanceof PyDict) for (const [k, v] of source) out.set(k, v);
  else if (source instanceof Namespace) for (const [k, v] of source.attrs) out.set(k, v);
  else if (source !== undefined) {
    pyIterable(source).forEach((item, i) => {
      const pair = sequenceElement(item, i);
      if (pair.length !== 2) {
        throw valueError(`dictionary update sequence element #${i} has length ${pair.length}; 2 is required`);
      }
      dictSet(out, pair[0] ?? null, pair[1] ?? null);
    });
  }
  for (const [k, v] of kwargs) out.set(k, v);
  return out;
}

function sequenceElement(v: PyValue, index: number): PyValue[] {
  try {
    return pyIterable(v);
  } catch (e) {
    if (e instanceof PyError && e.pyName === 'TypeError') {
      throw typeError(`cannot convert dictionary update sequence element #${index} to a sequence`);
    }
    throw e;
  }
}
