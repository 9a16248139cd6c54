import { createHash, randomInt } from 'node:crypto';

/**
 * Python's `random.Random(seed)` (Mersenne Twister, seeded as CPython 3.11 seeds it), so
 * that `random(seed=inventory_hostname)` and `shuffle(seed=…)` pick what Ansible picks.
 * https://github.com/python/cpython/blob/3.11/Modules/_randommodule.c
 */
export interface PyRandomSource {
  /** `_randbelow(n)`: a uniform integer in [0, n). */
  below(n: number): number;
}

class MersenneTwister implements PyRandomSource {
  private readonly mt = new Uint32Array(624);
  private index = 625;

  constructor(key: number[]) {
    this.initGenrand(19650218);
    const mt = this.mt;
    let i = 1;
    let j = 0;
    const keyLength = Math.max(key.length, 1);
    for (let k = Math.max(624, keyLength); k > 0; k--) {
      const prev = (mt[i - 1] ?? 0) ^ ((mt[i - 1] ?? 0) >>> 30);
      mt[i] = ((mt[i] ?? 0) ^ Math.imul(prev, 1664525)) + (key[j] ?? 0) + j;
      i++;
      j++;
      if (i >= 624) {
        mt[0] = mt[623] ?? 0;
        i = 1;
      }
      if (j >= keyLength) j = 0;
    }
    for (let k = 623; k > 0; k--) {
      const prev = (mt[i - 1] ?? 0) ^ ((mt[i - 1] ?? 0) >>> 30);
      mt[i] = ((mt[i] ?? 0) ^ Math.imul(prev, 1566083941)) - i;
      i++;
      if (i >= 624) {
        mt[0] = mt[623] ?? 0;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private initGenrand(seed: number): void {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = (mt[i - 1] ?? 0) ^ ((mt[i - 1] ?? 0) >>> 30);
      mt[i] = Math.imul(prev, 1812433253) + i;
    }
    this.index = 624;
  }

  private next32(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = ((mt[k] ?? 0) & 0x80000000) | ((mt[(k + 1) % 624] ?? 0) & 0x7fffffff);
        mt[k] = (mt[(k + 397) % 624] ?? 0) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++] ?? 0;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `getrandbits(k)` for k ≤ 53. */
  private bits(k: number): number {
    if (k <= 32) return this.next32() >>> (32 - k);
    const low = this.next32();
    const high = this.next32() >>> (64 - k);
    return high * 2 ** 32 + low;
  }

  below(n: number): number {
    if (n <= 0) return 0;
    const k = n.toString(2).length;
    let r = this.bits(k);
    while (r >= n) r = this.bits(k);
    return r;
  }
}

class SystemRandom implements PyRandomSource {
  below(n: number): number {
    return n <= 0 ? 0 : randomInt(n);
  }
}

/** The 32-bit words of a non-negative big integer, least significant first (init_by_array's key). */
function words(n: bigint): number[] {
  const out: number[] = [];
  let rest = n < 0n ? -n : n;
  do {
    out.push(Number(rest & 0xffffffffn));
    rest >>= 32n;
  } while (rest > 0n);
  return out;
}

/** `random.Random(seed)` for str and int seeds; no seed gives the system's randomness. */
export function pyRandom(seed: string | number | null): PyRandomSource {
  if (seed === null) return new SystemRandom();
  if (typeof seed === 'number') return new MersenneTwister(words(BigInt(Math.trunc(seed))));
  const bytes = Buffer.from(seed, 'utf8');
  const joined = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
  return new MersenneTwister(words(BigInt(`0x${joined.toString('hex')}`)));
}

/** `Random.shuffle`: Fisher–Yates from the end, as CPython does it. */
export function pyShuffle<T>(items: T[], random: PyRandomSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.below(i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
