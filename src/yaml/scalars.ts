import { PyFloat, type PyValue } from '../template/values.js';

// PyYAML's YAML 1.1 implicit resolvers (yaml/resolver.py), which is what Ansible loads
// playbooks with: `yes`/`off` are booleans, `0755` is octal, `1e3` is a string.
const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;

/** Resolves a plain (unquoted) scalar's text the way PyYAML's SafeLoader does. */
export function resolvePlainScalar(text: string): PyValue {
  if (NULL.test(text)) return null;
  if (BOOL.test(text)) return /^(?:yes|true|on)$/i.test(text);
  if (INT.test(text)) return parseYamlInt(text);
  if (FLOAT.test(text)) return new PyFloat(parseYamlFloat(text));
  return text;
}

function sexagesimal(digits: string): number {
  return digits.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
}

function parseYamlInt(text: string): number {
  let body = text.replace(/_/g, '');
  let sign = 1;
  if (body[0] === '-' || body[0] === '+') {
    if (body[0] === '-') sign = -1;
    body = body.slice(1);
  }
  if (body === '0') return 0;
  if (body.startsWith('0b')) return sign * parseInt(body.slice(2), 2);
  if (body.startsWith('0x')) return sign * parseInt(body.slice(2), 16);
  if (body.startsWith('0')) return sign * parseInt(body, 8);
  if (body.includes(':')) return sign * sexagesimal(body);
  return sign * parseInt(body, 10);
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
