import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { ValidationError } from '../errors.js';
import { STRERROR } from '../modules/os-error.js';
import { strRepr } from '../template/python/str_repr.js';
import { pyTruthy } from '../template/python/index.js';
import { pyStr, pyTypeName } from '../template/python/str.js';
import { utf8DecodeError } from '../template/python/utf8_decode_error.js';
import { PyDict, type PyValue } from '../template/values.js';
import { ansibleJsonLoads } from '../vault/ansible_json_decoder.js';
import { parseYaml } from '../yaml/load.js';
import type { InventoryBuilder } from './builder.js';
import { iterate, PythonError } from './python_iteration.js';

/**
 * Ansible's `script` inventory plugin (ansible/plugins/inventory/script.py): runs an executable
 * with `--list`, reads its JSON groups (a list of hosts, or `hosts`/`vars`/`children`, or a
 * mapping of variables for a host named as the group), and takes host variables from
 * `_meta.hostvars`, or, when there is none, from `--host NAME` for each host of a group.
 * Every failure is the plugin's parse error: the next plugin tries the file.
 */
export function parseInventoryScript(builder: InventoryBuilder, path: string, showStderr: boolean): void {
  try {
    new ScriptInventory(builder, path).parse(showStderr);
  } catch (err) {
    if (err instanceof PythonError) throw new ValidationError(err.message, { location: { file: path, line: 1, col: 1 } });
    throw err;
  }
}

const OUTPUT_LIMIT = 256 * 1024 * 1024;

class ScriptInventory {
  /** Every host a group named, in the order met: only they get host variables. */
  private readonly hosts = new Set<string>();

  constructor(
    private readonly builder: InventoryBuilder,
    private readonly path: string,
  ) {}

  parse(showStderr: boolean): void {
    const run = this.run(['--list']);
    let err = run.stderr.toString('utf8');
    if (err && !err.endsWith('\n')) err += '\n';
    if (run.status !== 0) throw new PythonError(`Inventory script (${this.path}) had an execution error: ${err} `);
    const data = this.listOutput(run.stdout, err);
    if (err && showStderr) this.builder.error(err);

    let hostvars: PyValue | undefined;
    for (const [group, groupData] of data) {
      if (group === '_meta') {
        if (hasKey(groupData, 'hostvars')) hostvars = item(groupData, 'hostvars');
      } else this.parseGroup(String(group), groupData);
    }
    for (const host of this.hosts) {
      const vars = hostvars === undefined || hostvars === null ? this.hostOutput(host) : this.metaHostVars(hostvars, host);
      if (!(vars instanceof PyDict)) throw new PythonError(`Invalid data from file, expected dictionary and got:\n\n${pyStr(vars)}`);
      for (const [key, value] of vars) this.builder.setVariable(host, key, value);
    }
  }

  private run(args: string[]): { status: number | null; stdout: Buffer; stderr: Buffer } {
    const result = spawnSync(this.path, args, { maxBuffer: OUTPUT_LIMIT, stdio: ['inherit', 'pipe', 'pipe'] });
    if (result.error) {
      const code = (result.error as NodeJS.ErrnoException).code ?? '';
      const errno = constants.errno[code as keyof typeof constants.errno];
      const reason = errno !== undefined && STRERROR[errno] ? `[Errno ${errno}] ${STRERROR[errno]}: ${strRepr(this.path)}` : result.error.message;
      throw new PythonError(`problem running ${[this.path, ...args].join(' ')} (${reason})`);
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** `--list`'s output: JSON only, and a mapping. */
  private listOutput(stdout: Buffer, err: string): PyDict {
    const notUtf8 = utf8DecodeError(stdout);
    if (notUtf8 !== null) throw new PythonError(`Inventory ${this.path} contained characters that cannot be interpreted as UTF-8: ${notUtf8}`);
    const text = stdout.toString('utf8');
    let data: PyValue;
    try {
      data = ansibleJsonLoads(text, this.path);
    } catch (error) {
      // AnsibleParserError(to_native(e), orig_exc=e) shows the JSON error twice.
      const reason = error instanceof Error ? error.message : String(error);
      throw new PythonError(`failed to parse executable inventory script results from ${this.path}: ${reason}. ${reason}\n${err}`);
    }
    if (!(data instanceof PyDict)) throw new PythonError(`failed to parse executable inventory script results from ${this.path}: needs to be a json dict\n${err}`);
    return data;
  }

  /** `--host NAME`'s output as DataLoader.load reads it: JSON, else YAML; its exit status and stderr are ignored. */
  private hostOutput(host: string): PyValue {
    const text = this.run(['--host', host]).stdout.toString('utf8');
    try {
      return ansibleJsonLoads(text, this.path);
    } catch {
      // Not JSON: YAML, where empty output is None (the plugin's check for empty output compares bytes with text, so never holds).
      const documents = parseYaml(text, this.path).documents;
      if (documents.length > 1) throw new PythonError('expected a single document in the stream');
      return documents[0] ?? null;
    }
  }

  private metaHostVars(hostvars: PyValue, host: string): PyValue {
    if (hostvars instanceof PyDict) return hostvars.get(host) ?? new PyDict();
    const reason = `'${pyTypeName(hostvars)}' object has no attribute 'get'`;
    throw new PythonError(`Improperly formatted host information for ${host}: ${reason}. ${reason}`);
  }

  private parseGroup(name: string, raw: PyValue): void {
    const group = this.addGroup(name);
    let data: PyDict;
    if (!(raw instanceof PyDict)) data = new PyDict([['hosts', raw]]);
    else if (!['hosts', 'vars', 'children'].some((key) => raw.has(key))) data = new PyDict([['hosts', [group]], ['vars', raw]]);
    else data = raw;

    if (data.has('hosts')) {
      const hosts = data.get('hosts') ?? null;
      if (!Array.isArray(hosts)) throw new PythonError(`You defined a group '${group}' with bad data for the host list:\n ${pyStr(data)}`);
      for (const host of hosts) this.builder.addHost(this.hostName(host), group);
    }
    if (data.has('vars')) {
      const vars = data.get('vars') ?? null;
      if (!(vars instanceof PyDict)) throw new PythonError(`You defined a group '${group}' with bad data for variables:\n ${pyStr(data)}`);
      for (const [key, value] of vars) this.builder.setVariable(group, key, value);
    }
    if (data.has('children')) {
      for (const child of iterate(data.get('children') ?? null)) this.builder.addChild(group, this.addGroup(child));
    }
  }

  /** InventoryData.add_group's checks; a name is added (and its characters warned about) once. */
  private addGroup(name: PyValue): string {
    if (!pyTruthy(name)) throw new PythonError(`Invalid empty/false group name provided: ${pyStr(name)}`);
    if (typeof name !== 'string') throw new PythonError(`Invalid group name supplied, expected a string but got <class '${pyTypeName(name)}'> for ${pyStr(name)}`);
    return this.builder.addGroup(name);
  }

  /** InventoryData.add_host's checks, after the plugin put the name in its set of hosts. */
  private hostName(host: PyValue): string {
    if (Array.isArray(host) || host instanceof PyDict) throw new PythonError(`unhashable type: '${pyTypeName(host)}'`);
    if (!pyTruthy(host)) throw new PythonError(`Invalid empty host name provided: ${pyStr(host)}`);
    if (typeof host !== 'string') throw new PythonError(`Invalid host name supplied, expected a string but got <class '${pyTypeName(host)}'> for ${pyStr(host)}`);
    this.hosts.add(host);
    return host;
  }
}

/** Python's `key in value`, for the `_meta` entry whatever its type. */
function hasKey(value: PyValue, key: string): boolean {
  if (value instanceof PyDict) return value.has(key);
  if (Array.isArray(value)) return value.includes(key);
  if (typeof value === 'string') return value.includes(key);
  throw new PythonError(`argument of type '${pyTypeName(value)}' is not iterable`);
}

/** Python's `value[key]` after `key in value` held. */
function item(value: PyValue, key: string): PyValue {
  if (value instanceof PyDict) return value.get(key) ?? null;
  if (Array.isArray(value)) throw new PythonError('list indices must be integers or slices, not str');
  throw new PythonError("string indices must be integers, not 'str'");
}

