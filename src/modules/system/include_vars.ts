import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, join } from 'node:path';
import { FleetError, fileNotFoundText } from '../../errors.js';
import { loadYamlValue } from '../../yaml/load.js';
import { PyDict, type PyValue } from '../../template/values.js';
import { combineVars, CombineVarsError, mergesHashes } from '../../vars/combine.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';

// plugins/action/include_vars.py VALID_* arguments.
const spec: ArgSpec = {
  options: {
    _raw_params: { type: 'str' },
    file: { type: 'str' },
    dir: { type: 'str' },
    depth: { type: 'int', default: 0 },
    files_matching: { type: 'str' },
    ignore_files: { type: 'list', elements: 'str', default: [] },
    extensions: { type: 'list', elements: 'str', default: ['yaml', 'yml', 'json'] },
    ignore_unknown_extensions: { type: 'bool', default: false },
    name: { type: 'str' },
    hash_behaviour: { type: 'str', choices: ['replace', 'merge'] },
  },
  mutuallyExclusive: [['file', 'dir'], ['_raw_params', 'dir']],
};

class IncludeVarsFailure extends Error {}

interface Loader {
  files: string[];
  extensions: string[];
}

/** One vars file: an empty document is {}, anything else must be a mapping. */
function loadFile(path: string, loader: Loader, validateExtension: boolean): PyDict {
  if (validateExtension && !loader.extensions.includes(extname(path).slice(1))) {
    throw new IncludeVarsFailure(`${path} does not have a valid extension: ${loader.extensions.join(', ')}`);
  }
  const data = loadYamlValue(path);
  if (data === null || data === '' || (data instanceof PyDict && data.size === 0)) {
    loader.files.push(path);
    return new PyDict();
  }
  if (!(data instanceof PyDict)) throw new IncludeVarsFailure(`${path} must be stored as a dictionary/hash`);
  loader.files.push(path);
  return data;
}

/** os.walk, sorted by directory path, each directory's files sorted; `depth` counts directories. */
function sortedWalk(root: string): [string, string[]][] {
  const out: [string, string[]][] = [];
  const visit = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true });
    out.push([dir, entries.filter((e) => !e.isDirectory()).map((e) => e.name)]);
    for (const entry of entries) if (entry.isDirectory()) visit(join(dir, entry.name));
  };
  visit(root);
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function loadDir(dir: string, args: Map<string, PyValue>, loader: Loader): PyDict {
  if (!existsSync(dir)) throw new IncludeVarsFailure(`${dir} directory does not exist`);
  if (!statSync(dir).isDirectory()) throw new IncludeVarsFailure(`${dir} is not a directory`);
  const depth = Number(args.get('depth') ?? 0);
  const matching = typeof args.get('files_matching') === 'string' ? new RegExp(args.get('files_matching') as string) : null;
  const ignore = ((args.get('ignore_files') as string[] | null) ?? []).map((pattern) => new RegExp(`${pattern}$`));
  const ignoreUnknown = args.get('ignore_unknown_extensions') === true;
  const results = new PyDict();
  const walk = sortedWalk(dir);
  for (let level = 0; level < walk.length && (depth === 0 || level < depth); level += 1) {
    const [root, names] = walk[level] as [string, string[]];
    for (const name of names.sort()) {
      if (matching && !matching.test(name)) continue;
      if (ignore.some((pattern) => pattern.test(name))) continue;
      if (ignoreUnknown && !loader.extensions.includes(extname(name).slice(1))) continue;
      for (const [key, value] of loadFile(join(root, name), loader, true)) results.set(key, value);
    }
  }
  return results;
}

function sourceDir(dir: string, ctx: ModuleContext): string {
  if (isAbsolute(dir)) return dir;
  return ctx.findFile('vars', dir) ?? join(dirname(ctx.task.at.file), dir);
}

/** include_vars: YAML/JSON files read on the controller, returned as ansible_facts. */
export const includeVars: ModuleDef = {
  name: 'include_vars',
  spec,
  freeForm: true,
  supportsCheckMode: true,
  controllerOnly: true,
  async run(args, ctx): Promise<ModuleResult> {
    const extensions = args.get('extensions') as string[];
    const loader: Loader = { files: [], extensions };
    let results = new PyDict();
    const result: ModuleResult = {};
    try {
      const dir = args.get('dir');
      if (typeof dir === 'string') {
        results = loadDir(sourceDir(dir, ctx), args, loader);
      } else {
        // _set_args: an empty `file` (a first_found that found nothing) counts as absent, and
        // no name at all is AnsibleFileNotFound without a file name.
        const given = args.get('file') || args.get('_raw_params') || null;
        if (given === null) throw new IncludeVarsFailure(fileNotFoundText(''));
        const file = (given as string).replace(/\n+$/, '');
        const found = isAbsolute(file) && existsSync(file) ? file : ctx.findFile('vars', file);
        if (found === null) throw new IncludeVarsFailure(`Could not find or access '${file}'`);
        results = loadFile(found, loader, false);
      }
    } catch (err) {
      if (!(err instanceof IncludeVarsFailure || err instanceof FleetError)) throw err;
      Object.assign(result, { failed: true, message: err.message });
    }
    const name = args.get('name');
    if (typeof name === 'string') results = new PyDict([[name, results]]);
    // The action combines each name with its current value only when its hash_behaviour
    // differs from the configured one (the variable layers merge it otherwise).
    const behaviour = args.get('hash_behaviour');
    if (typeof behaviour === 'string' && behaviour !== (mergesHashes() ? 'merge' : 'replace') && !result.failed) {
      try {
        for (const [key, value] of results) results.set(key, combineVars(ctx.vars.get(String(key)), value, behaviour === 'merge'));
      } catch (err) {
        if (err instanceof CombineVarsError) return { failed: true, msg: err.message };
        throw err;
      }
    }
    return Object.assign(result, { ansible_included_var_files: loader.files, ansible_facts: results, _ansible_no_log: false });
  },
};
