/**
 * Host identifiers with an optional port, as Ansible's parse_address reads them
 * (ansible/parsing/utils/addresses.py): `host:22`, `[::1]:22`, `web[01:10].example.com`.
 */
import { lazyRegExp } from '../template/unicode_regexp.js';

const NUMERIC_RANGE = String.raw`\[(?:[0-9]+:[0-9]+)(?::[0-9]+)?\]`;
const HEX_RANGE = String.raw`\[(?:[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`;
const ALNUM_RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\]`;

const IPV6_PART = String.raw`(?:[0-9a-f]{1,4}|${HEX_RANGE})`;
const IPV4_PART = String.raw`(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|${NUMERIC_RANGE})`;
// Python's \w is Unicode-aware for str patterns.
const WORD = String.raw`[\p{L}\p{N}_]`;
const LABEL = String.raw`(?:${WORD}|${ALNUM_RANGE})(?:${WORD}|[_-]|${ALNUM_RANGE})*(?<![_-])`;

const BRACKETED_HOSTPORT = /^\[(.+)\]:([0-9]+)$/;
const HOSTPORT = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/;
const IPV4 = new RegExp(String.raw`^(?:${IPV4_PART}\.){3}${IPV4_PART}$`, 'i');
const IPV6 = new RegExp(
  '^(?:' +
    [
      `(?:${IPV6_PART}:){7}${IPV6_PART}`,
      `(?:${IPV6_PART}:){1,6}:`,
      `(?:${IPV6_PART}:)(?::${IPV6_PART}){1,6}`,
      `(?:${IPV6_PART}:){2}(?::${IPV6_PART}){1,5}`,
      `(?:${IPV6_PART}:){3}(?::${IPV6_PART}){1,4}`,
      `(?:${IPV6_PART}:){4}(?::${IPV6_PART}){1,3}`,
      `(?:${IPV6_PART}:){5}(?::${IPV6_PART}){1,2}`,
      `(?:${IPV6_PART}:){6}(?::${IPV6_PART})`,
      `:(?::${IPV6_PART}){1,6}`,
      `${IPV6_PART}?::`,
      String.raw`(?:0:){6}(?:${IPV6_PART}\.){3}${IPV6_PART}`,
      String.raw`::(?:ffff:)?(?:${IPV6_PART}\.){3}${IPV6_PART}`,
      String.raw`(?:0:){5}ffff:(?:${IPV6_PART}\.){3}${IPV6_PART}`,
    ].join('|') +
    ')$',
  'i',
);
/** Whether a name is an IPv4 or IPv6 address (Ansible's patterns['ipv4'] and patterns['ipv6']). */
export function isIpAddress(name: string): boolean {
  // Every IPv6 form has a colon: V8 compiles IPV6's hundreds of alternatives on its first use, milliseconds a run spent on names like `web01`.
  return IPV4.test(name) || (name.includes(':') && IPV6.test(name));
}

const hostname = lazyRegExp(() => new RegExp(String.raw`^${LABEL}(?:\.${LABEL})*$`, 'iu'));
// The plain-ASCII names nearly every inventory uses, which hostname() also accepts: tested first
// because compiling its case-folded Unicode classes costs tens of milliseconds.
const ASCII_LABEL = '(?:[A-Za-z0-9]|[A-Za-z0-9_][A-Za-z0-9_-]*[A-Za-z0-9])';
const ASCII_HOSTNAME = new RegExp(`^${ASCII_LABEL}(?:\\.${ASCII_LABEL})*$`);

export interface ParsedAddress {
  host: string;
  port?: number;
}

/** Splits `host:port`; undefined when the text is no valid host identifier. */
export function parseAddress(address: string, allowRanges: boolean): ParsedAddress | undefined {
  let host = address;
  let port: number | undefined;
  // Python's loop tries both forms in turn, so `[h]:1:2` would be split twice; keep that.
  for (const pattern of [BRACKETED_HOSTPORT, HOSTPORT]) {
    const m = pattern.exec(host);
    if (m) {
      host = m[1] ?? '';
      port = Number(m[2]);
    }
  }
  if (!(ASCII_HOSTNAME.test(host) || IPV4.test(host) || IPV6.test(host) || hostname().test(host))) return undefined;
  if (!allowRanges && host.includes('[')) return undefined;
  return port === undefined ? { host } : { host, port };
}
