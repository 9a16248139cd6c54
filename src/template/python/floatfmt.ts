/**
 * Float formatting with Python's exact rules: `repr()` (shortest round-trip digits,
 * scientific below 1e-4 and from 1e16) and the `%f`/`%e`/`%g` family, which rounds the
 * exact binary value half-to-even (JavaScript's toFixed rounds ties up).
 */

/** Shortest round-trip digits and decimal exponent: 0.0015 → { digits: '15', exp: -3 }. */
function shortest(x: number): { digits: string; exp: number } {
  const [mantissa, e] = Math.abs(x).toExponential().split('e') as [string, string];
  return { digits: mantissa.replace('.', ''), exp: Number(e) };
}

function expSuffix(exp: number, marker = 'e'): string {
  const sign = exp < 0 ? '-' : '+';
  return `${marker}${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Python's `repr(float)` / `str(float)`. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  const { digits, exp } = shortest(x);
  if (exp < -4 || exp >= 16) {
    const frac = digits.slice(1);
    return `${sign}${digits[0]}${frac ? `.${frac}` : ''}${expSuffix(exp)}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${whole}.${frac || '0'}`;
}

/**
 * The exact decimal value of |x| as digits with the decimal point after `point` digits
 * (every double is a finite decimal: m·2^e = m·5^-e / 10^-e).
 */
function exactDecimal(x: number): { digits: string; point: number } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, Math.abs(x));
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = biased - 1075;
  }
  if (e >= 0) {
    const digits = (mant << BigInt(e)).toString();
    return { digits, point: digits.length };
  }
  const digits = (mant * 5n ** BigInt(-e)).toString();
  return { digits, point: digits.length + e };
}

/** Rounds a digit string half-to-even so that `keep` digits remain; may carry into a new digit. */
function roundDigits(digits: string, keep: number): { digits: string; carried: boolean } {
  if (keep < 0) return { digits: '', carried: false };
  if (digits.length <= keep) return { digits: digits.padEnd(keep, '0'), carried: false };
  const head = digits.slice(0, keep);
  const rest = digits.slice(keep);
  const first = rest.charCodeAt(0) - 48;
  let up = first > 5;
  if (first === 5) {
    const tailNonZero = /[1-9]/.test(rest.slice(1));
    const lastOdd = keep > 0 && (head.charCodeAt(keep - 1) - 48) % 2 === 1;
    up = tailNonZero || lastOdd;
  }
  if (!up) return { digits: head, carried: false };
  const bumped = (BigInt(`1${head}`) + 1n).toString();
  // `1${head}` keeps leading zeros; a carry shows up as a leading '2'.
  if (bumped[0] === '2') return { digits: `1${bumped.slice(1)}`, carried: true };
  return { digits: bumped.slice(1), carried: false };
}

/** `'%.{precision}f' % x` without the sign. */
function fixedAbs(x: number, precision: number): string {
  const { digits, point } = exactDecimal(x);
  let padded = digits;
  let p = point;
  if (p <= 0) {
    padded = '0'.repeat(1 - p) + digits;
    p = 1;
  }
  const rounded = roundDigits(padded, p + precision);
  let all = rounded.digits;
  if (rounded.carried) p += 1;
  all = all.padEnd(p + precision, '0');
  const whole = all.slice(0, p).replace(/^0+(?=\d)/, '');
  const frac = all.slice(p);
  return precision > 0 ? `${whole}.${frac}` : whole;
}

/** Mantissa digits (precision+1 of them) and exponent for `%e`, of |x|. */
function expParts(x: number, precision: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(precision + 1), exp: 0 };
  const { digits, point } = exactDecimal(x);
  const lead = digits.search(/[1-9]/);
  const significant = digits.slice(lead);
  let exp = point - lead - 1;
  const rounded = roundDigits(significant, precision + 1);
  let out = rounded.digits;
  if (rounded.carried) {
    exp += 1;
    out = out.slice(0, precision + 1);
  }
  return { digits: out, exp };
}

function special(x: number, upper: boolean): string | undefined {
  if (Number.isNaN(x)) return upper ? 'NAN' : 'nan';
  if (!Number.isFinite(x)) return upper ? 'INF' : 'inf';
  return undefined;
}

export interface FloatFormat {
  /** 'f' 'F' 'e' 'E' 'g' 'G' '%' */
  type: string;
  precision: number;
  /** `#`: keep the decimal point and, for g, trailing zeros. */
  alternate?: boolean;
}

/** The unsigned body of a float formatted with a `%`-style or `format()` float type. */
export function formatFloatAbs(x: number, spec: FloatFormat): string {
  const upper = spec.type === 'F' || spec.type === 'E' || spec.type === 'G';
  const abs = Math.abs(x);
  const sp = special(abs, upper);
  if (sp !== undefined) return sp;
  const { precision, alternate } = spec;
  switch (spec.type) {
    case 'f':
    case 'F': {
      const text = fixedAbs(abs, precision);
      return alternate && precision === 0 ? `${text}.` : text;
    }
    case '%':
      return `${fixedAbs(abs * 100, precision)}%`;
    case 'e':
    case 'E': {
      const { digits, exp } = expParts(abs, precision);
      const mant = precision > 0 || alternate ? `${digits[0]}.${digits.slice(1)}` : digits[0];
      return `${mant}${expSuffix(exp, upper ? 'E' : 'e')}`;
    }
    default: {
      // g/G: https://docs.python.org/3/library/string.html#format-specification-mini-language
      const p = precision === 0 ? 1 : precision;
      const { exp } = expParts(abs, p - 1);
      let text: string;
      if (exp >= -4 && exp < p) {
        text = fixedAbs(abs, p - 1 - exp);
        if (!alternate && text.includes('.')) text = text.replace(/\.?0+$/, '');
        else if (alternate && !text.includes('.')) text += '.';
      } else {
        const parts = expParts(abs, p - 1);
        let mant = parts.digits.length > 1 ? `${parts.digits[0]}.${parts.digits.slice(1)}` : parts.digits;
        if (!alternate) mant = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant;
        else if (!mant.includes('.')) mant += '.';
        text = `${mant}${expSuffix(parts.exp, upper ? 'E' : 'e')}`;
      }
      return text;
    }
  }
}

/** Python's `repr(int)` for any integral double (no `1e+21` as JavaScript prints). */
export function intRepr(n: number | bigint): string {
  return typeof n === 'bigint' || Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}
