import { pyCompareOp } from '../python/index.js';
import type { PyValue } from '../values.js';

/**
 * Python's `sorted(values, key=…, reverse=…)`: stable, ordered only through `<`, so that
 * incomparable values raise the same TypeError (`'<' not supported between instances of
 * 'str' and 'int'`) from the same first comparison CPython's list sort makes.
 */
export function pySorted<T>(values: T[], key: (v: T) => PyValue, reverse = false): T[] {
  const input = reverse ? [...values].reverse() : values;
  const keyed = input.map((value) => ({ value, key: key(value) }));
  const out: typeof keyed = [];
  for (const entry of keyed) {
    // Binary insertion keeps equal keys in their original order.
    let lo = 0;
    let hi = out.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const probe = out[mid];
      if (probe && pyCompareOp('<', entry.key, probe.key)) hi = mid;
      else lo = mid + 1;
    }
    out.splice(lo, 0, entry);
  }
  const sorted = out.map((e) => e.value);
  return reverse ? sorted.reverse() : sorted;
}
