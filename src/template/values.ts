/**
 * The Python value model every template, variable and module argument uses.
 *
 * Ansible values are Python values, and Jinja2 prints and compares them with Python's
 * rules, so the distinctions JavaScript loses are kept explicitly:
 * - str → string; bool → boolean; None → null
 * - int → number (always a safe integer), or bigint beyond ±2^53 (Python ints are unbounded);
 *   results are normalised back to number whenever they fit, so a bigint is never a small int
 * - float → PyFloat (so `2.0` stays a float and prints as `2.0`)
 * - list → PyValue[]; tuple → PyTuple
 * - dict → PyDict, an insertion-ordered Map (plain JS objects reorder integer-like keys)
 */
import { VaultError } from '../vault/errors.js';

export class PyFloat {
  constructor(readonly value: number) {}
}

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export type PyKey = string | number | bigint | boolean | null | PyFloat | PyTuple;

export class PyDict extends Map<PyKey, PyValue> {}

/** Anything the evaluator may also hold (undefined markers, callables, namespaces…). */
export interface PyObject {
  readonly pyType: string;
}

export type PyValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | PyFloat
  | PyTuple
  | PyDict
  | PyValue[]
  | PyObject;

/** Turns JSON-like JavaScript data into Python values (objects become PyDicts). */
export function toPy(value: unknown): PyValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? value : new PyFloat(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value;
  if (Array.isArray(value)) return value.map(toPy);
  if (value instanceof PyDict || value instanceof PyFloat || value instanceof PyTuple) return value;
  if (value instanceof Map) {
    const out = new PyDict();
    for (const [k, v] of value) out.set(toPy(k) as PyKey, toPy(v));
    return out;
  }
  if (typeof value === 'object' && 'pyType' in value) return value as PyObject;
  if (typeof value === 'object') {
    const out = new PyDict();
    for (const [k, v] of Object.entries(value)) out.set(k, toPy(v));
    return out;
  }
  throw new TypeError(`cannot convert ${typeof value} to a Python value`);
}

/** Turns Python values back into JSON-like JavaScript data (for schemas and JSON output). */
export function fromPy(value: PyValue): unknown {
  if (value instanceof PyFloat) return value.value;
  if (value instanceof PyTuple) return value.items.map(fromPy);
  if (Array.isArray(value)) return value.map(fromPy);
  if (value instanceof PyDict) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[keyToString(k)] = fromPy(v);
    return out;
  }
  return value;
}

function keyToString(key: PyKey): string {
  if (key === null) return 'None';
  if (typeof key === 'boolean') return key ? 'True' : 'False';
  if (key instanceof PyFloat) return String(key.value);
  if (key instanceof PyTuple) return JSON.stringify(fromPy(key));
  return String(key);
}

/** A `!unsafe` string: used as the text it is, never templated (Ansible's AnsibleUnsafeText). */
export class PyUnsafe implements PyObject {
  readonly pyType = 'unsafe';
  constructor(readonly value: string) {}
}

/** How a `!vault` value's ciphertext becomes its plaintext; throws the vault's error when no secret fits. */
export type VaultDecrypt = (ciphertext: string) => string;

const noVaultSecrets: VaultDecrypt = () => {
  throw new VaultError('Attempting to decrypt but no vault secrets found');
};

/**
 * A `!vault` value (Ansible's AnsibleVaultEncryptedUnicode): the ciphertext, decrypted on
 * first use; as a str (printing, `+`, iterating, comparing) it is its plaintext.
 */
export class PyVault implements PyObject {
  readonly pyType = 'vault';
  private decrypted: string | undefined;
  constructor(
    readonly ciphertext: string,
    private readonly decrypt: VaultDecrypt = noVaultSecrets,
  ) {}

  get plaintext(): string {
    this.decrypted ??= this.decrypt(this.ciphertext);
    return this.decrypted;
  }

  pyStr(): string {
    return this.plaintext;
  }

  pyIter(): PyValue[] {
    return Array.from(this.plaintext);
  }

  pyTruthy(): boolean {
    return this.plaintext.length > 0;
  }

  pyBinary(op: '+' | '-', other: PyValue, reflected: boolean): PyValue | undefined {
    const text = typeof other === 'string' ? other : other instanceof PyUnsafe ? other.value : other instanceof PyVault ? other.plaintext : undefined;
    if (op !== '+' || text === undefined) return undefined;
    return reflected ? text + this.plaintext : this.plaintext + text;
  }

  pyOrder(other: PyValue): number | undefined {
    const text = typeof other === 'string' ? other : other instanceof PyUnsafe ? other.value : other instanceof PyVault ? other.plaintext : undefined;
    if (text === undefined) return undefined;
    return this.plaintext < text ? -1 : this.plaintext > text ? 1 : 0;
  }
}

/** Jinja2's Undefined: what a missing variable or attribute evaluates to until it is used. */
export class PyUndefined implements PyObject {
  readonly pyType = 'undefined';
  /** `hint` is the message Jinja2 would raise when the value is used (e.g. "'x' is undefined"). */
  constructor(readonly hint: string) {}
}
