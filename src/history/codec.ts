import { PyDate } from '../template/python/dates.js';
import { PyDatetime } from '../template/runtime/datetime.js';
import { PyDict, PyFloat, PyTuple, type PyKey, type PyValue } from '../template/values.js';

/**
 * Results as JSON text for the ledger, keeping what the text sink prints differently from
 * plain JSON: floats (`2.0`), big ints and dicts with non-string keys travel as small tagged
 * objects. Every string (keys too) passes through `mask` on the way in. Values jsonDumps
 * prints as text (dates, unsafe text) are stored as that text.
 */
const TAG = '$fleet';

type Tagged = { [TAG]: 'float' | 'int' | 'dict'; v: unknown };

export function encodeValue(value: unknown, mask: (text: string) => string): string {
  return JSON.stringify(toStored(value, mask));
}

export function decodeValue(text: string): unknown {
  return fromStored(JSON.parse(text) as unknown);
}

function toStored(v: unknown, mask: (text: string) => string): unknown {
  if (v === null || v === undefined || typeof v === 'boolean') return v ?? null;
  if (typeof v === 'string') return mask(v);
  if (typeof v === 'number' || typeof v === 'bigint') {
    // A number whose digits contain a secret (a PIN) is stored as the masked text instead.
    const masked = mask(String(v));
    if (masked !== String(v)) return masked;
    if (typeof v === 'bigint') return tagged('int', String(v));
    return Number.isFinite(v) ? v : tagged('float', String(v));
  }
  if (v instanceof PyFloat) {
    const masked = mask(String(v.value));
    if (masked !== String(v.value)) return masked;
    return tagged('float', Number.isFinite(v.value) ? v.value : String(v.value));
  }
  if (v instanceof PyTuple) return v.items.map((item) => toStored(item, mask));
  if (Array.isArray(v)) return v.map((item) => toStored(item, mask));
  if (v instanceof Map) return tagged('dict', [...v.entries()].map(([key, inner]) => [toStored(key, mask), toStored(inner, mask)]));
  if (v instanceof PyDate || v instanceof PyDatetime) return mask(v.isoformat());
  if (typeof v === 'object' && 'pyType' in v) {
    const wrapped = v as { value?: unknown };
    return typeof wrapped.value === 'string' ? mask(wrapped.value) : null;
  }
  if (typeof v === 'object') {
    // An undefined member stays, as null: jsonDumps prints it so.
    const record = v as Record<string, unknown>;
    const keys = Object.keys(record);
    // An object that happens to look like a tag is stored as a dict so it reads back unchanged.
    if (keys.includes(TAG)) return tagged('dict', keys.map((key) => [mask(key), toStored(record[key], mask)]));
    const stored: Record<string, unknown> = {};
    for (const key of keys) {
      const name = mask(key);
      const inner = toStored(record[key], mask);
      // Defined, not assigned: a `__proto__` key is a member, as Object.fromEntries makes it.
      if (name === '__proto__') Object.defineProperty(stored, name, { value: inner, enumerable: true, writable: true, configurable: true });
      else stored[name] = inner;
    }
    return stored;
  }
  return mask(String(v));
}

function tagged(kind: Tagged[typeof TAG], v: unknown): Tagged {
  return { [TAG]: kind, v };
}

function fromStored(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromStored);
  if (v === null || typeof v !== 'object') return v;
  const record = v as Record<string, unknown>;
  if (TAG in record) {
    const { v: inner } = record as Tagged;
    switch (record[TAG]) {
      case 'float':
        return new PyFloat(Number(inner));
      case 'int':
        return BigInt(String(inner));
      default:
        return new PyDict((inner as [unknown, unknown][]).map(([key, value]) => [fromStored(key) as PyKey, fromStored(value) as PyValue]));
    }
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, fromStored(inner)]));
}
