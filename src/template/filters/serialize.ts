import { parseYaml } from '../../yaml/load.js';
import { pyTruthy, pyTypeName, typeError } from '../python/index.js';
import type { CallArgs, Filter } from '../registry.js';
import { PyTuple, type PyValue } from '../values.js';
import { filterError, intArg, isStrValue, text } from './common.js';
import { jsonDumps, jsonLoads, type JsonDumpOptions } from './json.js';
import { pformat } from './pprint.js';
import { bind } from './signature.js';
import { dumpYaml, type DumpOptions } from './yaml/dump.js';

/**
 * JSON and YAML in and out: Ansible's to_json/to_nice_json/to_yaml/to_nice_yaml/from_*
 * (lib/ansible/plugins/filter/core.py) and Jinja2's tojson and pprint.
 */

/** json.dumps' own keyword-only parameters (others go to the encoder through **kw). */
const JSON_KEYWORDS = new Set(['skipkeys', 'ensure_ascii', 'check_circular', 'allow_nan', 'indent', 'separators', 'default', 'sort_keys']);

function jsonIndent(v: PyValue | undefined): string | null {
  if (v === undefined || v === null) return null;
  if (isStrValue(v)) return text(v);
  return ' '.repeat(Math.max(0, intArg(v, 0)));
}

/** Maps `json.dumps` keyword arguments; unknown ones fail as JSONEncoder's constructor does. */
function jsonOptions(kwargs: Map<string, PyValue>, defaults: JsonDumpOptions): JsonDumpOptions {
  const options: JsonDumpOptions = { ansibleEncoder: true, ...defaults };
  for (const [key, v] of kwargs) {
    if (key === 'indent') options.indent = jsonIndent(v);
    else if (key === 'sort_keys') options.sortKeys = pyTruthy(v);
    else if (key === 'ensure_ascii') options.ensureAscii = pyTruthy(v);
    else if (key === 'skipkeys') options.skipKeys = pyTruthy(v);
    else if (key === 'allow_nan') options.allowNan = pyTruthy(v);
    else if (key === 'separators') {
      const pair = Array.isArray(v) ? v : v instanceof PyTuple ? v.items : [];
      options.separators = [text(pair[0] ?? ', '), text(pair[1] ?? ': ')];
    } else if (key !== 'preprocess_unsafe' && key !== 'vault_to_text' && key !== 'check_circular' && key !== 'default') {
      throw typeError(`JSONEncoder.__init__() got an unexpected keyword argument '${key}'`);
    }
  }
  return options;
}

/** json.dumps takes only the value positionally; Ansible passes `cls=` and friends as keyword-only. */
const rejectPositional = (call: CallArgs, keywordOnly: number): void => {
  if (call.args.length === 0) return;
  const given = `${call.args.length + 1} positional arguments (and ${keywordOnly} keyword-only argument${keywordOnly === 1 ? '' : 's'})`;
  throw typeError(`dumps() takes 1 positional argument but ${given} were given`);
};

const toJson: Filter = (_env, value, call) => {
  rejectPositional(call, 1 + [...call.kwargs.keys()].filter((k) => JSON_KEYWORDS.has(k)).length);
  return jsonDumps(value, jsonOptions(call.kwargs, {}));
};

const toNiceJson: Filter = (_env, value, call) => {
  const b = bind({ name: 'to_nice_json', params: ['a', 'indent=', 'sort_keys=', '*args', '**kw'] }, value, call);
  rejectPositional({ args: b.rest, kwargs: call.kwargs }, 4);
  return jsonDumps(
    value,
    jsonOptions(b.restKw, {
      indent: jsonIndent(b.values.get('indent') ?? 4),
      sortKeys: pyTruthy(b.values.get('sort_keys') ?? true),
      separators: [',', ': '],
    }),
  );
};

function yamlOptions(kwargs: Map<string, PyValue>, defaults: DumpOptions, filter: string): DumpOptions {
  const options: DumpOptions = { ...defaults };
  for (const [key, v] of kwargs) {
    if (key === 'indent') options.indent = v === null ? 2 : intArg(v, 2);
    else if (key === 'width') options.width = v === null ? 80 : intArg(v, 80);
    else if (key === 'default_flow_style') options.defaultFlowStyle = v === null ? null : pyTruthy(v);
    else if (key === 'sort_keys') options.sortKeys = pyTruthy(v);
    // Ansible passes allow_unicode itself, so yaml.dump gets it twice.
    else if (key === 'allow_unicode') throw yamlError(filter, "yaml.dump() got multiple values for keyword argument 'allow_unicode'");
    else if (key === 'explicit_start') options.explicitStart = pyTruthy(v);
    else if (key === 'explicit_end') options.explicitEnd = pyTruthy(v);
    else {
      throw yamlError(filter, `dump_all() got an unexpected keyword argument '${key}'`);
    }
  }
  return options;
}

/** AnsibleFilterError("to_yaml - …", orig_exc=e): the original message is repeated after a period. */
const yamlError = (filter: string, message: string): Error => filterError(`${filter} - ${message}. ${message}`);

const withYamlErrors = (filter: string, dump: () => string): string => {
  try {
    return dump();
  } catch (error) {
    if (error instanceof Error && !error.message.startsWith(`${filter} - `)) throw yamlError(filter, error.message);
    throw error;
  }
};

const toYaml: Filter = (_env, value, call) => {
  const b = bind({ name: 'to_yaml', params: ['a', '*args', '**kw'] }, value, call);
  if (b.rest.length > 0) throw filterError(`to_yaml - dump() takes from 2 to 3 positional arguments but ${b.rest.length + 2} were given`);
  return withYamlErrors('to_yaml', () => dumpYaml(value, yamlOptions(b.restKw, {}, 'to_yaml')));
};

const toNiceYaml: Filter = (_env, value, call) => {
  const b = bind({ name: 'to_nice_yaml', params: ['a', 'indent=', '*args', '**kw'] }, value, call);
  const indent = b.values.get('indent');
  const options = { indent: indent === undefined || indent === null ? 4 : intArg(indent, 4), defaultFlowStyle: false };
  if (b.restKw.has('default_flow_style')) {
    throw yamlError('to_nice_yaml', "yaml.dump() got multiple values for keyword argument 'default_flow_style'");
  }
  return withYamlErrors('to_nice_yaml', () => dumpYaml(value, yamlOptions(b.restKw, options, 'to_nice_yaml')));
};

/** The documents of a YAML stream; a stream without content has none (yaml.load gives None). */
function yamlDocuments(value: PyValue): PyValue[] {
  const source = text(value);
  if (!/^\s*[^#\s]/m.test(source)) return [];
  return parseYaml(source, '<from_yaml>').documents;
}

const fromYaml: Filter = (_env, value, call) => {
  bind({ name: 'from_yaml', params: ['data'] }, value, call);
  if (!isStrValue(value)) return value;
  return yamlDocuments(value)[0] ?? null;
};

const fromYamlAll: Filter = (_env, value, call) => {
  bind({ name: 'from_yaml_all', params: ['data'] }, value, call);
  if (!isStrValue(value)) return value;
  return yamlDocuments(value);
};

const fromJson: Filter = (_env, value, call) => {
  bind({ name: 'from_json', params: ['a', '*args', '**kw'] }, value, call);
  if (!isStrValue(value)) throw typeError(`the JSON object must be str, bytes or bytearray, not ${pyTypeName(value)}`);
  return jsonLoads(text(value));
};

/** Jinja2's `htmlsafe_json_dumps`: sorted keys, and `<>&'` escaped for HTML. */
const tojson: Filter = (_env, value, call) => {
  const b = bind({ name: 'do_tojson', params: ['value', 'indent='], hidden: 1 }, value, call);
  const dumped = jsonDumps(value, { sortKeys: true, indent: jsonIndent(b.values.get('indent')) });
  return dumped.replace(/[<>&']/g, (c) => `\\u00${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
};

const pprint: Filter = (_env, value, call) => {
  bind({ name: 'do_pprint', params: ['value'] }, value, call);
  return pformat(value);
};

export const serializeFilters: Record<string, Filter> = {
  to_json: toJson,
  to_nice_json: toNiceJson,
  from_json: fromJson,
  to_yaml: toYaml,
  to_nice_yaml: toNiceYaml,
  from_yaml: fromYaml,
  from_yaml_all: fromYamlAll,
  tojson,
  pprint,
};
