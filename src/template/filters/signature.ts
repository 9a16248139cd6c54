import { typeError } from '../python/errors.js';
import type { CallArgs } from '../registry.js';
import type { PyValue } from '../values.js';

/**
 * A Python function signature, so that a plugin called with the wrong arguments fails with
 * the TypeError text Python gives for the Jinja2/Ansible function it stands for
 * (`do_truncate() takes from 2 to 6 positional arguments but 8 were given`).
 */
export interface Signature {
  /** The Python function's name, as it appears in the error messages. */
  name: string;
  /**
   * Parameter names in order, the piped value included. A `=` suffix marks an optional
   * parameter (its default is `undefined` in the bound result); `*name` collects extra
   * positionals; `**name` collects extra keywords; names after `*`/`*name` are keyword-only.
   */
  params: string[];
  /** Leading parameters Jinja2 passes itself (environment/context): counted in messages only. */
  hidden?: number;
  /** A C builtin (`len`, `abs`): CPython words its argument errors differently. */
  builtin?: boolean;
}

export interface BoundArgs {
  /** Each named parameter's value, `undefined` when an optional one was not given. */
  values: Map<string, PyValue | undefined>;
  /** Extra positionals collected by `*name`. */
  rest: PyValue[];
  /** Extra keywords collected by `**name`. */
  restKw: Map<string, PyValue>;
}

interface Param {
  name: string;
  optional: boolean;
  keywordOnly: boolean;
}

interface ParsedSignature {
  positional: Param[];
  keywordOnly: Param[];
  varArgs: boolean;
  varKw: boolean;
}

const parsedCache = new WeakMap<Signature, ParsedSignature>();

function parse(sig: Signature): ParsedSignature {
  const cached = parsedCache.get(sig);
  if (cached) return cached;
  const parsed: ParsedSignature = { positional: [], keywordOnly: [], varArgs: false, varKw: false };
  let keywordOnly = false;
  for (const raw of sig.params) {
    if (raw.startsWith('**')) parsed.varKw = true;
    else if (raw.startsWith('*')) {
      if (raw.length > 1) parsed.varArgs = true;
      keywordOnly = true;
    } else {
      const param = { name: raw.replace(/=$/, ''), optional: raw.endsWith('='), keywordOnly };
      (keywordOnly ? parsed.keywordOnly : parsed.positional).push(param);
    }
  }
  parsedCache.set(sig, parsed);
  return parsed;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function namesList(names: string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}

/** CPython's messages for C functions: `len() takes exactly one argument (2 given)`. */
function checkBuiltinCall(sig: Signature, parsed: ParsedSignature, count: number, call: CallArgs): void {
  const max = parsed.positional.length;
  const required = parsed.positional.filter((p) => !p.optional).length;
  // One-argument C functions (len, abs, escape) take their argument positionally only.
  if (call.kwargs.size > 0 && max === 1) throw typeError(`${sig.name}() takes no keyword arguments`);
  if (max === 1 && required === 1 && count !== 1) throw typeError(`${sig.name}() takes exactly one argument (${count} given)`);
  if (count > max) throw typeError(`${sig.name}() takes at most ${max} argument${max === 1 ? '' : 's'} (${count} given)`);
}

/** Binds `value` plus the call's arguments to `sig` as Python would, raising Python's TypeErrors. */
export function bind(sig: Signature, value: PyValue | undefined, call: CallArgs): BoundArgs {
  const parsed = parse(sig);
  const hidden = sig.hidden ?? 0;
  const given = value === undefined ? [...call.args] : [value, ...call.args];
  if (sig.builtin) checkBuiltinCall(sig, parsed, given.length, call);
  const values = new Map<string, PyValue | undefined>();
  const rest: PyValue[] = [];
  const restKw = new Map<string, PyValue>();

  if (given.length > parsed.positional.length && !parsed.varArgs) {
    const required = parsed.positional.filter((p) => !p.optional).length + hidden;
    const max = parsed.positional.length + hidden;
    const takes = required === max ? plural(max, 'positional argument') : `from ${required} to ${max} positional arguments`;
    const kwGiven = [...call.kwargs.keys()].filter((k) => parsed.keywordOnly.some((p) => p.name === k)).length;
    const givenText =
      kwGiven > 0
        ? `${plural(given.length + hidden, 'positional argument')} (and ${plural(kwGiven, 'keyword-only argument')}) were given`
        : `${given.length + hidden} ${given.length + hidden === 1 ? 'was' : 'were'} given`;
    throw typeError(`${sig.name}() takes ${takes} but ${givenText}`);
  }
  given.forEach((arg, i) => {
    const param = parsed.positional[i];
    if (param) values.set(param.name, arg);
    else rest.push(arg);
  });
  for (const [key, arg] of call.kwargs) {
    const param = parsed.positional.find((p) => p.name === key) ?? parsed.keywordOnly.find((p) => p.name === key);
    if (param) {
      if (values.has(key)) throw typeError(`${sig.name}() got multiple values for argument '${key}'`);
      values.set(key, arg);
    } else if (parsed.varKw) restKw.set(key, arg);
    else throw typeError(`${sig.name}() got an unexpected keyword argument '${key}'`);
  }
  const missing = parsed.positional.filter((p) => !p.optional && !values.has(p.name)).map((p) => p.name);
  if (missing.length > 0) {
    throw typeError(`${sig.name}() missing ${plural(missing.length, 'required positional argument')}: ${namesList(missing)}`);
  }
  const missingKw = parsed.keywordOnly.filter((p) => !p.optional && !values.has(p.name)).map((p) => p.name);
  if (missingKw.length > 0) {
    throw typeError(`${sig.name}() missing ${plural(missingKw.length, 'required keyword-only argument')}: ${namesList(missingKw)}`);
  }
  return { values, rest, restKw };
}
