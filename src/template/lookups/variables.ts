import { dictGet, pyStr, pyTypeName } from '../python/index.js';
import type { Lookup, PluginEnv } from '../registry.js';
import { PyDict, PyUndefined, type PyValue } from '../values.js';
import { isStrValue, PluginError, text } from '../filters/common.js';
import { compilePyRegex, search } from '../filters/pyregex.js';
import { lookupOptions } from './options.js';

/** Lookups over variables and the controller's environment: vars, varnames, env. */

/** Ansible templates what `vars` finds: strings inside the value are rendered again. */
function templateDeep(env: PluginEnv, value: PyValue): PyValue {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%') ? env.renderTemplate(value) : value;
  if (Array.isArray(value)) return value.map((v) => templateDeep(env, v));
  if (value instanceof PyDict) return new PyDict([...value].map(([k, v]) => [k, templateDeep(env, v)]));
  return value;
}

function hostVariable(env: PluginEnv, name: string): PyValue | undefined {
  const hostvars = env.lookupVariable('hostvars');
  const host = env.lookupVariable('inventory_hostname');
  if (!(hostvars instanceof PyDict) || host === undefined) return undefined;
  const mine = dictGet(hostvars, host);
  return mine instanceof PyDict ? dictGet(mine, name) : undefined;
}

export const vars: Lookup = (env, terms, kwargs) => {
  const { default: fallback } = lookupOptions(kwargs, { default: null });
  return terms.map((term) => {
    if (!isStrValue(term)) {
      throw new PluginError('AnsibleError', `Invalid setting identifier, "${pyStr(term)}" is not a string, its a <class '${pyTypeName(term)}'>`);
    }
    const name = text(term);
    const found = env.lookupVariable(name) ?? hostVariable(env, name);
    if (found === undefined || found instanceof PyUndefined) {
      if (fallback !== null) return fallback;
      throw new PluginError('AnsibleUndefinedVariable', `No variable found with this name: ${name}`);
    }
    return templateDeep(env, found);
  });
};

export const varnames: Lookup = (env, terms) => {
  const names = env.variableNames();
  return terms.flatMap((term) => {
    if (!isStrValue(term)) {
      throw new PluginError('AnsibleError', `Invalid setting identifier, "${pyStr(term)}" is not a string, it is a <class '${pyTypeName(term)}'>`);
    }
    let pattern;
    try {
      pattern = compilePyRegex(text(term));
    } catch (error) {
      throw new PluginError('AnsibleError', `Unable to use "${text(term)}" as a search parameter: ${error instanceof Error ? error.message : String(error)}`);
    }
    return names.filter((name) => search(pattern, name) !== null);
  });
};

export const envLookup: Lookup = (env, terms, kwargs) => {
  const { default: fallback } = lookupOptions(kwargs, { default: '' });
  return terms.map((term) => {
    const name = pyStr(term).split(/\s+/).filter(Boolean)[0] ?? '';
    const value = env.lookupContext.env[name];
    if (value !== undefined) return value;
    if (fallback instanceof PyUndefined) {
      throw new PluginError('AnsibleUndefinedVariable', `The "env" lookup, found an undefined variable: ${name}`);
    }
    return fallback;
  });
};
