import { asBoolean } from '../../playbook/validate.js';
import { splitPy, stripPy } from '../../template/python/text.js';

/**
 * ansible.posix's sysctl module (plugins/modules/sysctl.py, collection 1.5.4) as pure
 * functions: how it reads sysctl.conf, rewrites it and decides what to do.
 */

const strip = (text: string): string => stripPy(text, null, true, true);

/** _parse_value: booleans' words become 1 or 0, anything else loses its outer whitespace; no value is ''. */
export function parseValue(value: string | null): string {
  if (value === null) return '';
  const flag = asBoolean(value);
  return flag === null ? strip(value) : flag ? '1' : '0';
}

/** _values_is_equal: the same whitespace-separated words in the same order; no value equals nothing. */
export function valuesEqual(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const left = splitPy(a, null, -1);
  const right = splitPy(b, null, -1);
  return left.length === right.length && left.every((word, index) => word === right[index]);
}

/** A line's key and value; null for blank lines, `#` or `;` comments and lines without `=`. */
function keyValue(line: string): [string, string] | null {
  const text = strip(line);
  if (text === '' || text.startsWith('#') || text.startsWith(';') || !text.includes('=')) return null;
  const at = text.indexOf('=');
  return [strip(text.slice(0, at)), strip(text.slice(at + 1))];
}

export interface SysctlConf {
  /** Every line, stripped (open()'s universal newlines: \n, \r\n and \r end a line). */
  lines: string[];
  /** Each key's value, the last line naming it winning; in order of first appearance. */
  values: Map<string, string>;
}

/** read_sysctl_file. */
export function parseSysctlConf(text: string): SysctlConf {
  const lines = text.split(/\r\n|\r|\n/).map(strip);
  if (/(\r\n|\r|\n)$/.test(text) || text === '') lines.pop();
  const values = new Map<string, string>();
  for (const line of lines) {
    const pair = keyValue(line);
    if (pair) values.set(pair[0], pair[1]);
  }
  return { lines, values };
}

/**
 * fix_lines then write_sysctl: every key line written `key=value`, only a key's first line
 * kept (the wanted key's with the new value, or none when absent), the key added at the end
 * when no line had it; other lines kept, stripped.
 */
export function rewrittenConf(conf: SysctlConf, name: string, value: string, present: boolean): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of conf.lines) {
    const pair = keyValue(line);
    if (pair === null) {
      out.push(line);
      continue;
    }
    const [key, current] = pair;
    if (seen.has(key)) continue;
    seen.add(key);
    if (key !== name) out.push(`${key}=${current}`);
    else if (present) out.push(`${key}=${value}`);
  }
  if (!seen.has(name) && present) out.push(`${name}=${value}`);
  return out.map((line) => `${strip(line)}\n`).join('');
}

export interface SysctlWants {
  name: string;
  value: string;
  present: boolean;
  reload: boolean;
  sysctlSet: boolean;
}

export interface SysctlPlan {
  changed: boolean;
  /** `sysctl -w` the value (sysctl_set, and the kernel's value differs). */
  setKernel: boolean;
  writeFile: boolean;
  /** Reload the file into the kernel (changed and reload). */
  reload: boolean;
}

/** SysctlModule.process's decisions, from the file's value for the key and the kernel's (null: sysctl failed). */
export function sysctlPlan(wants: SysctlWants, fileValue: string | null, kernelValue: string | null): SysctlPlan {
  let changed = false;
  let writeFile = false;
  let setKernel = false;
  if (fileValue === null) {
    changed = writeFile = wants.present;
  } else if (fileValue !== '' && !wants.present) {
    changed = writeFile = true;
  } else if (fileValue !== wants.value) {
    changed = writeFile = true;
  } else if (wants.reload && !valuesEqual(kernelValue, wants.value)) {
    changed = true;
  }
  if (wants.sysctlSet && wants.present && !valuesEqual(kernelValue, wants.value)) {
    changed = true;
    // A kernel value sysctl could not read is reported changed but never set.
    setKernel = kernelValue !== null;
  }
  return { changed, setKernel, writeFile, reload: changed && wants.reload };
}
