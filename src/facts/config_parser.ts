import { PyDict } from '../template/values.js';

/** A configparser.Error: local.py reports the file as neither JSON nor INI. */
export class ConfigParserError extends Error {}

/** An interpolation error, raised by cp.get(): local.py's "Failed to convert" message. */
export class InterpolationError extends Error {}

const SECTION = /^\[(.+)\]/;
const OPTION = /^(.*?)\s*([=:])\s*(.*)$/;

/**
 * What local.py builds from a fact file that is not JSON, with Python 3.11's
 * configparser.ConfigParser() defaults: `#`/`;` comment lines, `=`/`:` delimiters, option
 * names lower-cased, indented lines continue a value, empty lines inside values kept, strict
 * (a repeated section or option is an error), DEFAULT's options in every section, and
 * BasicInterpolation (`%(name)s`, `%%`) when each value is read.
 */
export function configParserSections(text: string): PyDict {
  const defaults = new Map<string, string[]>();
  const sections = new Map<string, Map<string, string[]>>();
  const seen = new Set<string>();
  let current: Map<string, string[]> | null = null;
  let sectionName = '';
  let option: string | null = null;
  let indentLevel = 0;
  let bad = false;
  for (const line of text.split(/\r\n|\n|\r/)) {
    const comment = ['#', ';'].some((prefix) => line.trim().startsWith(prefix));
    const value = comment ? '' : line.trim();
    if (!value) {
      if (!comment && current && option !== null) current.get(option)?.push('');
      continue;
    }
    const indent = line.search(/\S/);
    if (current && option !== null && indent > indentLevel) {
      current.get(option)?.push(value);
      continue;
    }
    indentLevel = indent;
    const header = SECTION.exec(value);
    if (header) {
      sectionName = header[1] as string;
      if (seen.has(sectionName)) throw new ConfigParserError(`duplicate section ${sectionName}`);
      if (sectionName === 'DEFAULT') current = defaults;
      else {
        current = sections.get(sectionName) ?? new Map<string, string[]>();
        sections.set(sectionName, current);
        seen.add(sectionName);
      }
      option = null;
      continue;
    }
    if (!current) throw new ConfigParserError('missing section header');
    const match = OPTION.exec(value);
    if (!match || !match[1]) {
      bad = true;
      continue;
    }
    option = (match[1] as string).trimEnd().toLowerCase();
    if (seen.has(`${sectionName}\0${option}`)) throw new ConfigParserError(`duplicate option ${option}`);
    seen.add(`${sectionName}\0${option}`);
    current.set(option, [(match[3] as string).trim()]);
  }
  if (bad) throw new ConfigParserError('parsing errors');
  const joined = (lines: string[]): string => lines.join('\n').trimEnd();
  const facts = new PyDict();
  for (const [name, options] of sections) {
    const raw = new Map<string, string>([...defaults].map(([key, lines]) => [key, joined(lines)]));
    for (const [key, lines] of options) raw.set(key, joined(lines));
    const section = new PyDict();
    for (const key of new Set([...options.keys(), ...defaults.keys()])) section.set(key, interpolate(raw, key, raw.get(key) as string, 1));
    facts.set(name, section);
  }
  return facts;
}

// configparser.MAX_INTERPOLATION_DEPTH
const MAX_DEPTH = 10;

/** BasicInterpolation.before_get: `%%` is `%`, `%(name)s` is that option's (interpolated) value. */
function interpolate(options: ReadonlyMap<string, string>, option: string, value: string, depth: number): string {
  if (depth > MAX_DEPTH) throw new InterpolationError(`Recursion limit exceeded in value substitution: option '${option}'`);
  let out = '';
  let rest = value;
  while (rest) {
    const at = rest.indexOf('%');
    if (at < 0) return out + rest;
    out += rest.slice(0, at);
    rest = rest.slice(at);
    if (rest[1] === '%') {
      out += '%';
      rest = rest.slice(2);
    } else if (rest[1] === '(') {
      const ref = /^%\(([^)]+)\)s/.exec(rest);
      if (!ref) throw new InterpolationError(`bad interpolation variable reference '${rest}'`);
      const name = (ref[1] as string).toLowerCase();
      const target = options.get(name);
      if (target === undefined) throw new InterpolationError(`Bad value substitution: option '${option}' in section references '${name}'`);
      out += target.includes('%') ? interpolate(options, name, target, depth + 1) : target;
      rest = rest.slice(ref[0].length);
    } else {
      throw new InterpolationError(`'%' must be followed by '%' or '(', found: '${rest}'`);
    }
  }
  return out;
}
