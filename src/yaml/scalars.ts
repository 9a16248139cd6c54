import { PyAwareDatetime, PyDate } from '../template/python/dates.js';
import { valueError } from '../template/python/errors.js';
import { intFromDigits, normInt, type PyInt } from '../template/python/types.js';
import { PyDatetime } from '../template/runtime/datetime.js';
import { PyFloat, type PyValue } from '../template/values.js';

// PyYAML's YAML 1.1 implicit resolvers (yaml/resolver.py), which is what Ansible loads
// playbooks with: `yes`/`off` are booleans, `0755` is octal, `1e3` is a string.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
// The resolver's timestamp pattern and construct_yaml_timestamp's, which picks out the fields.
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;
const TIMESTAMP_FIELDS =
  /^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?)?$/;

/** Resolves a plain (unquoted) scalar's text the way PyYAML's SafeLoader does. */
export function resolvePlainScalar(text: string): PyValue {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return /^(?:yes|true|on)$/i.test(text);
  if (INT.test(text)) return parseYamlInt(text);
  if (FLOAT.test(text)) return new PyFloat(parseYamlFloat(text));
  if (TIMESTAMP.test(text)) return parseYamlTimestamp(text);
  return text;
}

/**
 * PyYAML's construct_yaml_timestamp: a date, or a datetime (aware when a zone is given, the
 * fraction cut to microseconds). An impossible date raises datetime's ValueError, as there.
 */
function parseYamlTimestamp(text: string): PyDate | PyDatetime {
  const m = TIMESTAMP_FIELDS.exec(text) ?? [];
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((f) => (f === undefined ? undefined : Number(f)));
  if (year === undefined || month === undefined || day === undefined) throw new Error(`not a YAML timestamp: ${text}`);
  const date = new PyDate(year, month, day);
  if (hour === undefined || minute === undefined || second === undefined) return date;
  if (hour > 23) throw valueError('hour must be in 0..23');
  if (minute > 59) throw valueError('minute must be in 0..59');
  if (second > 59) throw valueError('second must be in 0..59');
  const micro = Number((m[7] ?? '').slice(0, 6).padEnd(6, '0'));
  const [zone, sign, zoneHour, zoneMinute] = m.slice(8, 12);
  if (zone === undefined) return new PyDatetime(year, month, day, hour, minute, second, micro);
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(zoneHour) * 60 + Number(zoneMinute ?? 0));
  return new PyAwareDatetime(year, month, day, hour, minute, second, micro, offset);
}

function sexagesimal(digits: string): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

/** PyYAML's construct_yaml_int; Python ints are unbounded, so large ones become bigints. */
function parseYamlInt(text: string): PyInt {
  let body = text.replace(/_/g, '');
  let negative = false;
  if (body[0] === '-' || body[0] === '+') {
    negative = body[0] === '-';
    body = body.slice(1);
  }
  let n: PyInt;
  if (body === '0') n = 0;
  else if (body.startsWith('0b')) n = intFromDigits(body.slice(2), 2);
  else if (body.startsWith('0x')) n = intFromDigits(body.slice(2), 16);
  else if (body.startsWith('0')) n = intFromDigits(body, 8);
  else if (body.includes(':')) n = normInt(body.split(':').reduce((acc, part) => acc * 60n + BigInt(part), 0n));
  else n = intFromDigits(body, 10);
  return negative ? (typeof n === 'bigint' ? normInt(-n) : -n || 0) : n;
}

function parseYamlFloat(text: string): number {
  let body = text.replace(/_/g, '').toLowerCase();
  if (body === '.nan') return NaN;
  let sign = 1;
  if (body[0] === '-' || body[0] === '+') {
    if (body[0] === '-') sign = -1;
    body = body.slice(1);
  }
  if (body === '.inf') return sign * Infinity;
  if (body.includes(':')) {
    const [whole, frac] = body.split('.');
    return sign * (sexagesimal(whole ?? '0') + Number(`0.${frac ?? ''}`));
  }
  return sign * Number(body);
}
