import { PlistDate, PlistError, PlistNone, PlistReal, PlistUid, type PlistDict, type PlistValue } from './launchd-plist.js';

// Seconds between 1970-01-01 and 2001-01-01, the epoch of binary plist dates.
const APPLE_EPOCH_MS = Date.UTC(2001, 0, 1);

/**
 * plistlib's _BinaryPlistParser (bplist00): trailer, offset table, objects by reference.
 * Every structural error is plistlib's InvalidFileException ("Invalid file").
 */
export function parseBinaryPlist(bytes: Buffer): PlistValue {
  try {
    return new BinaryReader(bytes).read();
  } catch (error) {
    if (error instanceof PlistError || error instanceof RangeError) throw new PlistError('Invalid file');
    throw error;
  }
}

class BinaryReader {
  private readonly offsets: number[] = [];
  private readonly objects = new Map<number, PlistValue>();
  private refSize = 0;

  constructor(private readonly bytes: Buffer) {}

  private uint(at: number, size: number): number {
    if (size === 0 || at + size > this.bytes.length) throw new PlistError();
    return Number(this.bytes.subarray(at, at + size).reduce((sum, byte) => sum * 256n + BigInt(byte), 0n));
  }

  read(): PlistValue {
    if (this.bytes.length < 40) throw new PlistError();
    const trailer = this.bytes.length - 32;
    const offsetSize = this.bytes[trailer + 6] as number;
    this.refSize = this.bytes[trailer + 7] as number;
    const count = this.uint(trailer + 8, 8);
    const top = this.uint(trailer + 16, 8);
    const table = this.uint(trailer + 24, 8);
    for (let i = 0; i < count; i++) this.offsets.push(this.uint(table + i * offsetSize, offsetSize));
    return this.object(top);
  }

  /** An object's length: the low nibble, or an int object after it when the nibble is 0xF. */
  private size(at: number, nibble: number): { size: number; start: number } {
    if (nibble !== 0xf) return { size: nibble, start: at + 1 };
    const width = 1 << ((this.bytes[at + 1] ?? 0) & 0x3);
    return { size: this.uint(at + 2, width), start: at + 2 + width };
  }

  private slice(start: number, length: number): Buffer {
    if (start + length > this.bytes.length) throw new PlistError();
    return this.bytes.subarray(start, start + length);
  }

  private refs(start: number, count: number): number[] {
    return Array.from({ length: count }, (_, i) => this.uint(start + i * this.refSize, this.refSize));
  }

  private object(ref: number): PlistValue {
    const known = this.objects.get(ref);
    if (known !== undefined) return known;
    const at = this.offsets[ref];
    if (at === undefined || at >= this.bytes.length) throw new PlistError();
    const token = this.bytes[at] as number;
    const [high, low] = [token & 0xf0, token & 0x0f];
    let value: PlistValue;
    if (token === 0x00) value = new PlistNone();
    else if (token === 0x08 || token === 0x09) value = token === 0x09;
    else if (token === 0x0f) value = new Uint8Array();
    else if (high === 0x10) {
      const raw = this.slice(at + 1, 1 << low);
      const unsigned = raw.reduce((sum, byte) => sum * 256n + BigInt(byte), 0n);
      value = low >= 3 ? BigInt.asIntN(raw.length * 8, unsigned) : unsigned;
    } else if (token === 0x22) value = new PlistReal(this.slice(at + 1, 4).readFloatBE());
    else if (token === 0x23) value = new PlistReal(this.slice(at + 1, 8).readDoubleBE());
    else if (token === 0x33) value = appleDate(this.slice(at + 1, 8).readDoubleBE());
    else if (high === 0x40) {
      const { size, start } = this.size(at, low);
      value = new Uint8Array(this.slice(start, size));
    } else if (high === 0x50) {
      const { size, start } = this.size(at, low);
      const raw = this.slice(start, size);
      if (raw.some((byte) => byte > 0x7f)) throw new PlistError();
      value = raw.toString('latin1');
    } else if (high === 0x60) {
      const { size, start } = this.size(at, low);
      value = Buffer.from(this.slice(start, size * 2)).swap16().toString('utf16le');
    } else if (high === 0x80) value = new PlistUid(this.slice(at + 1, 1 + low).reduce((sum, byte) => sum * 256n + BigInt(byte), 0n));
    else if (high === 0xa0) {
      const { size, start } = this.size(at, low);
      const list: PlistValue[] = [];
      this.objects.set(ref, list);
      for (const item of this.refs(start, size)) list.push(this.object(item));
      value = list;
    } else if (high === 0xd0) {
      const { size, start } = this.size(at, low);
      const dict: PlistDict = new Map();
      this.objects.set(ref, dict);
      const keys = this.refs(start, size);
      const values = this.refs(start + size * this.refSize, size);
      keys.forEach((keyRef, i) => {
        const key = this.object(keyRef);
        // plistlib accepts any hashable key here but cannot write a non-str one back: refused early.
        if (typeof key !== 'string') throw new PlistError();
        dict.set(key, this.object(values[i] as number));
      });
      value = dict;
    } else throw new PlistError();
    this.objects.set(ref, value);
    return value;
  }
}

/** datetime(2001, 1, 1) + timedelta(seconds=f), to the microsecond, then split into fields. */
function appleDate(seconds: number): PlistDate {
  const micros = Math.round(seconds * 1e6);
  const date = new Date(APPLE_EPOCH_MS + Math.floor(micros / 1e6) * 1000);
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) throw new PlistError();
  return new PlistDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds());
}
