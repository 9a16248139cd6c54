import { readFileSync } from 'node:fs';
import { pyStr, pyTruthy } from '../python/index.js';
import type { Lookup } from '../registry.js';
import type { PyValue } from '../values.js';
import { PluginError, text } from '../filters/common.js';
import { compilePyRegex, matchAtStart } from '../filters/pyregex.js';
import { lookupOptions } from './options.js';
import { findInSearchPath } from './search.js';
import { parseKv } from './kv.js';

/**
 * Lookups that read one value out of a table file: ini (Python's configparser) and csvfile
 * (Python's csv reader), lib/ansible/plugins/lookup/ini.py and csvfile.py.
 */

const lookupError = (message: string): PluginError => new PluginError('AnsibleLookupError', message);

interface IniFile {
  sections: Map<string, Map<string, string | null>>;
  defaults: Map<string, string | null>;
}

/** configparser.read_string: `[section]`, `key = value` / `key: value`, indented continuations. */
function parseIni(source: string, caseSensitive: boolean, allowNoValue: boolean, file: string): IniFile {
  const defaults = new Map<string, string | null>();
  const sections = new Map<string, Map<string, string | null>>();
  let current: Map<string, string | null> | undefined;
  let lastKey: string | undefined;
  source.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/\s+$/, '');
    if (/^\s*[#;]/.test(line) || line.trim() === '') {
      lastKey = line.trim() === '' ? undefined : lastKey;
      return;
    }
    if (/^\s/.test(line) && current && lastKey !== undefined) {
      const previous = current.get(lastKey);
      current.set(lastKey, `${previous ?? ''}\n${line.trim()}`);
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(line);
    if (header) {
      const name = header[1] ?? '';
      current = name === 'DEFAULT' ? defaults : (sections.get(name) ?? new Map());
      if (name !== 'DEFAULT') sections.set(name, current);
      lastKey = undefined;
      return;
    }
    if (!current) throw lookupError(`File contains no section headers.\nfile: '<???>', line: ${index + 1}\n'${raw}'`);
    const option = /^([^=:]*?)\s*[=:]\s*(.*)$/.exec(line);
    let key: string;
    let value: string | null;
    if (option) {
      key = (option[1] ?? '').trim();
      value = (option[2] ?? '').trim();
    } else if (allowNoValue) {
      key = line.trim();
      value = null;
    } else throw lookupError(`Source contains parsing errors: '<???>'\n\t[line ${String(index + 1).padStart(2)}]: '${raw}'`);
    if (!caseSensitive) key = key.toLowerCase();
    if (current.has(key) && current !== defaults) {
      throw lookupError(`Duplicate option in '${file}': While reading from '<???>' [line ${String(index + 1).padStart(2)}]: option '${key}' in section already exists`);
    }
    current.set(key, value);
    lastKey = key;
  });
  return { sections, defaults };
}

/** configparser's BasicInterpolation: `%(name)s` from the section or DEFAULT, `%%` a percent. */
function interpolate(value: string, lookup: (name: string) => string | null | undefined): string {
  return value.replace(/%(%|\(([^)]*)\)s)/g, (_whole, body: string, name: string | undefined) => {
    if (body === '%') return '%';
    const found = lookup((name ?? '').toLowerCase());
    if (found === undefined || found === null) throw lookupError(`Bad value substitution: option '${name}' not found`);
    return found;
  });
}

const INI_OPTIONS = {
  type: 'ini',
  file: 'ansible.ini',
  section: 'global',
  re: false,
  encoding: 'utf-8',
  default: '',
  case_sensitive: false,
  allow_no_value: false,
  allow_none: false,
};

/** ini's `_parse_params`: words after the key, `name=value` words starting a new option. */
function iniInlineParams(term: string, names: string[]): string[] {
  const params = new Map<string, string>();
  const order: string[] = [];
  let current = 'key';
  term
    .split(/\s+/)
    .filter(Boolean)
    .forEach((phrase, index) => {
      if (phrase.includes('=')) for (const name of names) if (phrase.includes(`${name}=`)) current = name;
      if (index === 0 || !params.get(current)) {
        params.set(current, phrase);
        order.push(current);
      } else params.set(current, `${params.get(current)} ${phrase}`);
    });
  return order.map((k) => params.get(k) ?? '');
}

export const ini: Lookup = (env, terms, kwargs) => {
  const defaults = lookupOptions(kwargs, INI_OPTIONS);
  return terms.flatMap((term) => {
    const options: Record<string, PyValue> = { ...defaults };
    const raw = pyStr(term);
    let key = raw;
    if (raw.includes('=') || raw.trim().includes(' ')) {
      let updatedKey = false;
      for (const param of iniInlineParams(raw, Object.keys(INI_OPTIONS))) {
        if (param.includes('=')) {
          const [name = '', value = ''] = param.split('=');
          if (!(name in INI_OPTIONS)) throw lookupError(`${name} is not a valid option.`);
          options[name] = value;
        } else if (key === raw) {
          key = param;
          updatedKey = true;
        }
      }
      if (!updatedKey) {
        throw new PluginError('AnsibleOptionsError', `No key to lookup was provided as first term with in string inline options: ${raw}`);
      }
    }
    const fileName = text(options.file ?? '');
    const path = findInSearchPath(env.lookupContext, 'files', fileName);
    if (path === undefined) throw new PluginError('AnsibleError', `could not locate file in lookup: ${fileName}`);
    let contents = readFileSync(path, 'utf8');
    let section = text(options.section ?? 'global');
    if (text(options.type ?? 'ini') === 'properties') {
      contents = `[java_properties]\n${contents}`;
      section = 'java_properties';
    }
    const caseSensitive = pyTruthy(options.case_sensitive ?? false);
    const parsed = parseIni(contents, caseSensitive, pyTruthy(options.allow_no_value ?? false) || pyTruthy(options.allow_none ?? false), fileName);
    const values = parsed.sections.get(section);
    if (!values) throw lookupError(`No section '${section}' in ${fileName}`);
    const merged = new Map([...parsed.defaults, ...values]);
    const resolve = (name: string): string | null | undefined => {
      const v = merged.get(name);
      return typeof v === 'string' ? interpolate(v, resolve) : v;
    };
    if (pyTruthy(options.re ?? false)) {
      const pattern = compilePyRegex(key);
      return [...merged.keys()].filter((k) => matchAtStart(pattern, k) !== null).map((k): PyValue => resolve(k) ?? null);
    }
    const lookupKey = caseSensitive ? key : key.toLowerCase();
    if (!merged.has(lookupKey)) return options.default === null || options.default === undefined ? [] : [options.default];
    const value = resolve(lookupKey);
    return value === undefined || value === null ? [] : [value];
  });
};

/** Python's csv.reader (excel dialect) over the whole text. */
function parseCsv(source: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let fieldStarted = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] ?? '';
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (ch === delimiter) {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.map((r) => (r.length === 1 && r[0] === '' ? [] : r));
}

const CSV_OPTIONS = { col: '1', default: null, delimiter: 'TAB', file: 'ansible.csv', encoding: 'utf-8' };

export const csvfile: Lookup = (env, terms, kwargs) => {
  const defaults = lookupOptions(kwargs, CSV_OPTIONS);
  return terms.flatMap((term) => {
    const kv = parseKv(pyStr(term));
    const key = kv.get('_raw_params');
    if (key === undefined) throw new PluginError('AnsibleError', 'Search key is required but was not found');
    const options: Record<string, PyValue> = { ...defaults };
    for (const [name, value] of kv) {
      if (name === '_raw_params') continue;
      if (!(name in CSV_OPTIONS)) throw new PluginError('AnsibleError', `${name} is not a valid option`);
      options[name] = value;
    }
    const delimiter = text(options.delimiter ?? 'TAB') === 'TAB' ? '\t' : text(options.delimiter ?? '');
    const fileName = text(options.file ?? '');
    const path = findInSearchPath(env.lookupContext, 'files', fileName);
    let rows: string[][];
    try {
      // find_file_in_search_path gives None, which Ansible then opens as b'None'.
      if (path === undefined) throw new Error("[Errno 2] No such file or directory: b'None'");
      rows = parseCsv(readFileSync(path, 'utf8'), delimiter);
    } catch (error) {
      throw new PluginError('AnsibleError', `csvfile: ${error instanceof Error ? error.message : String(error)}`);
    }
    const row = rows.find((r) => r.length > 0 && r[0] === key);
    if (!row) return options.default === null || options.default === undefined ? [] : [options.default];
    const col = Number(text(options.col ?? '1'));
    const value = row[col];
    if (value === undefined) throw new PluginError('AnsibleError', 'csvfile: list index out of range');
    return [value];
  });
};
