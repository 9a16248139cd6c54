import { parseBinaryPlist } from './launchd-plist-binary.js';
import { parseXmlPlist } from './launchd-plist-xml.js';

/**
 * A property list as Python's plistlib holds it: str, bool, int (any size), float,
 * datetime (naive, to the second when written), bytes, list, dict, and from binary files
 * also None and UID (which the XML writer refuses).
 */
export type PlistValue = string | boolean | bigint | PlistReal | PlistDate | Uint8Array | PlistValue[] | PlistDict | PlistNone | PlistUid;
export type PlistDict = Map<string, PlistValue>;

export class PlistReal {
  constructor(readonly value: number) {}
}

/** datetime.datetime fields; only year…second reach an XML plist. */
export class PlistDate {
  constructor(readonly year: number, readonly month: number, readonly day: number, readonly hour: number, readonly minute: number, readonly second: number) {}
}

export class PlistNone {}

export class PlistUid {
  constructor(readonly data: bigint) {}
}

/** plistlib raises these (ValueError, InvalidFileException…); the message is str(exception). */
export class PlistError extends Error {}

const XML_PREFIXES = ['<?xml', '<plist'];

/** plistlib.load: XML when the first bytes say so, else binary (`bplist00`), else "Invalid file". */
export function loadPlist(bytes: Buffer): PlistValue {
  const header = bytes.subarray(0, 32).toString('latin1');
  const withoutBom = header.startsWith('\xef\xbb\xbf') ? header.slice(3) : header;
  if (XML_PREFIXES.some((prefix) => withoutBom.startsWith(prefix))) return parseXmlPlist(bytes);
  if (header.startsWith('\xfe\xff') || header.startsWith('\xff\xfe')) {
    throw new PlistError('fleet reads UTF-8 XML plists only (this one is UTF-16)');
  }
  if (header.startsWith('bplist00')) return parseBinaryPlist(bytes);
  throw new PlistError('Invalid file');
}

/** Python's bool(value). */
export function plistTruthy(value: PlistValue | undefined): boolean {
  if (value === undefined || value instanceof PlistNone) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value !== 0n;
  if (value instanceof PlistReal) return value.value !== 0;
  if (typeof value === 'string' || value instanceof Uint8Array || Array.isArray(value)) return value.length > 0;
  if (value instanceof Map) return value.size > 0;
  return true;
}

/** Python's `flag == value` for a bool flag: True equals 1 and 1.0, False equals 0 and 0.0. */
export function plistEqualsBool(value: PlistValue, flag: boolean): boolean {
  if (typeof value === 'boolean') return value === flag;
  if (typeof value === 'bigint') return value === (flag ? 1n : 0n);
  if (value instanceof PlistReal) return value.value === (flag ? 1 : 0);
  return false;
}
