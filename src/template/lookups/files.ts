import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { pyStr, pyTruthy, pyTypeName } from '../python/index.js';
import type { Lookup, LookupContext, PluginEnv } from '../registry.js';
import { PyDict, PyTuple, PyUndefined, type PyValue } from '../values.js';
import { isStrValue, PluginError, text } from '../filters/common.js';
import { pyGlob } from '../filters/glob.js';
import { posixAbspath, posixBasename, posixDirname, posixPathJoin } from '../filters/posixpath.js';
import { lookupOptions } from './options.js';
import { findInSearchPath } from './search.js';
import { DELIMITER_OPTIONS, type Delimiters } from '../syntax/lexer.js';
import { NativeText } from '../runtime/concat.js';
import { ansibleTemplateVars } from '../template_vars.js';

/**
 * Lookups that read the controller's files and commands (lib/ansible/plugins/lookup/):
 * file, template, first_found, fileglob, lines, pipe.
 */

const ansibleError = (message: string): PluginError => new PluginError('AnsibleError', message);

function readText(path: string): string {
  return readFileSync(path).toString('utf8');
}

const FILE_OPTIONS = { lstrip: false, rstrip: true } as const;

export const file: Lookup = (env, terms, kwargs) => {
  const options = lookupOptions(kwargs, FILE_OPTIONS);
  return terms.map((term) => {
    const name = pyStr(term);
    const path = findInSearchPath(env.lookupContext, 'files', name);
    if (path === undefined || statSync(path).isDirectory()) throw ansibleError(`could not locate file in lookup: ${name}`);
    let contents = readText(path);
    if (pyTruthy(options.lstrip)) contents = contents.replace(/^\s+/, '');
    if (pyTruthy(options.rstrip)) contents = contents.replace(/\s+$/, '');
    return contents;
  });
};

const TEMPLATE_OPTIONS = {
  convert_data: true,
  template_vars: new PyDict(),
  jinja2_native: false,
  variable_start_string: '{{',
  variable_end_string: '}}',
  comment_start_string: '{#',
  comment_end_string: '#}',
} as const;

export const template: Lookup = (env, terms, kwargs) => {
  const options = lookupOptions(kwargs, TEMPLATE_OPTIONS);
  const delimiters: Delimiters = {};
  for (const option of ['variable_start_string', 'variable_end_string', 'comment_start_string', 'comment_end_string'] as const) {
    delimiters[DELIMITER_OPTIONS[option]] = text(options[option]);
  }
  const convertData = pyTruthy(options.convert_data);
  const renderOptions = { escapeBackslashes: false, delimiters, convertData };
  return terms.map((term) => {
    const name = pyStr(term);
    const path = findInSearchPath(env.lookupContext, 'templates', name);
    if (path === undefined) throw ansibleError(`the template file ${name} could not be found for the lookup`);
    const vars = ansibleTemplateVars(name, path, null);
    if (options.template_vars instanceof PyDict) for (const [k, v] of options.template_vars) vars.set(text(k), v);
    const rendered = env.renderTemplate(readText(path), vars, renderOptions);
    // Text kept as text must not become data in the template that called the lookup.
    return convertData ? rendered : new NativeText(isStrValue(rendered) ? text(rendered) : pyStr(rendered));
  });
};

/** first_found's `_splitter`: a string split on any of the given characters. */
function splitOn(value: PyValue, separators: string): string[] {
  if (isStrValue(value)) return text(value).split(new RegExp(`[${separators.replace(/[\]\\^-]/g, '\\$&')}]`));
  if (Array.isArray(value) || value instanceof PyTuple) return (Array.isArray(value) ? value : value.items).flatMap((v) => splitOn(v, separators));
  return [];
}

const FIRST_FOUND_OPTIONS = { files: [] as PyValue[], paths: [] as PyValue[], skip: false };

function firstFoundSearch(terms: PyValue[], kwargs: Map<string, PyValue>): { candidates: string[]; skip: boolean } {
  let candidates: string[] = [];
  let skip = false;
  for (const term of terms) {
    let options: Record<string, PyValue>;
    if (term instanceof PyDict) options = lookupOptions(new Map([...term].map(([k, v]) => [text(k), v])), FIRST_FOUND_OPTIONS);
    else if (isStrValue(term)) options = lookupOptions(kwargs, FIRST_FOUND_OPTIONS);
    else if (Array.isArray(term) || term instanceof PyTuple) {
      const nested = firstFoundSearch(Array.isArray(term) ? term : term.items, kwargs);
      candidates.push(...nested.candidates);
      skip = nested.skip;
      continue;
    } else {
      throw new PluginError(
        'AnsibleLookupError',
        `Invalid term supplied, can handle string, mapping or list of strings but got: <class '${pyTypeName(term)}'> for ${pyStr(term)}`,
      );
    }
    skip = pyTruthy(options.skip ?? false);
    const files = splitOn(options.files ?? [], ',;');
    const paths = splitOn(options.paths ?? [], ',:;');
    if (paths.length > 0) for (const path of paths) for (const fn of files) candidates.push(posixPathJoin(path, fn));
    else if (files.length > 0) candidates = files;
    else candidates.push(text(term));
  }
  return { candidates, skip };
}

export const firstFound: Lookup = (env, terms, kwargs) => {
  const { candidates, skip } = firstFoundSearch(terms, kwargs);
  for (const candidate of candidates) {
    let name: PyValue;
    try {
      name = env.renderTemplate(candidate);
    } catch (error) {
      if (error instanceof Error && /undefined/i.test(error.message)) continue;
      throw error;
    }
    if (name instanceof PyUndefined) continue;
    const path = findInSearchPath(env.lookupContext, 'files', pyStr(name));
    if (path !== undefined) return [path];
  }
  if (skip) return [];
  throw new PluginError('AnsibleLookupError', 'No file was found when using first_found.');
};

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export const fileglob: Lookup = (env, terms) => {
  const context: LookupContext = env.lookupContext;
  const results: PyValue[] = [];
  for (const term of terms) {
    const pattern = pyStr(term);
    const name = posixBasename(pattern);
    const dirs: Array<string | undefined> = [];
    if (name !== pattern) dirs.push(findInSearchPath(context, 'files', posixDirname(pattern)));
    else {
      const paths = context.searchPaths.length > 0 ? context.searchPaths : [context.basedir];
      for (const p of paths) dirs.push(posixPathJoin(posixAbspath(p, context.basedir), 'files'), posixAbspath(p, context.basedir));
    }
    for (const dir of dirs) {
      if (!dir) continue;
      const found = pyGlob(posixPathJoin(dir, name)).filter(isFile);
      if (found.length > 0) {
        results.push(...found);
        break;
      }
    }
  }
  return results;
};

/** Runs `command` with /bin/sh in the play's basedir, as subprocess.Popen(shell=True) does. */
function runShell(env: PluginEnv, command: string, lookup: string): Buffer {
  const result = spawnSync('/bin/sh', ['-c', command], {
    cwd: env.lookupContext.basedir,
    env: Object.fromEntries(Object.entries(env.lookupContext.env).filter((e): e is [string, string] => e[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const status = result.status ?? (result.signal ? -1 : 1);
  if (status !== 0) throw ansibleError(`lookup_plugin.${lookup}(${command}) returned ${status}`);
  return result.stdout;
}

export const pipe: Lookup = (env, terms) => terms.map((term) => runShell(env, pyStr(term), 'pipe').toString('utf8').trimEnd());

/** `bytes.splitlines()`: only \n, \r and \r\n end a line. */
export const lines: Lookup = (env, terms) =>
  terms.flatMap((term) => {
    const output = runShell(env, pyStr(term), 'lines').toString('utf8');
    const split = output.split(/\r\n|\r|\n/);
    if (split[split.length - 1] === '') split.pop();
    return split;
  });
