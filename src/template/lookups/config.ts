import { pyStr, pyTypeName } from '../python/index.js';
import type { Lookup } from '../registry.js';
import type { PyValue } from '../values.js';
import { PluginError } from '../filters/common.js';
import { lookupOptions } from './options.js';

type Kind = 'string' | 'integer' | 'boolean';

/**
 * The Ansible 2.14 settings the `config` lookup can read in fleet: their default
 * (lib/ansible/config/base.yml) and the environment variables that override it. Settings
 * that only ansible.cfg sets are answered with their default.
 */
const SETTINGS: Record<string, { fallback: PyValue; env: string[]; kind: Kind }> = {
  DEFAULT_MANAGED_STR: { fallback: 'Ansible managed', env: [], kind: 'string' },
  DEFAULT_FORKS: { fallback: 5, env: ['ANSIBLE_FORKS'], kind: 'integer' },
  DEFAULT_TIMEOUT: { fallback: 10, env: ['ANSIBLE_TIMEOUT'], kind: 'integer' },
  DEFAULT_POLL_INTERVAL: { fallback: 15, env: ['ANSIBLE_POLL_INTERVAL'], kind: 'integer' },
  DEFAULT_REMOTE_PORT: { fallback: null, env: ['ANSIBLE_REMOTE_PORT'], kind: 'integer' },
  DEFAULT_REMOTE_USER: { fallback: null, env: ['ANSIBLE_REMOTE_USER'], kind: 'string' },
  DEFAULT_BECOME_USER: { fallback: 'root', env: ['ANSIBLE_BECOME_USER'], kind: 'string' },
  DEFAULT_BECOME_METHOD: { fallback: 'sudo', env: ['ANSIBLE_BECOME_METHOD'], kind: 'string' },
  DEFAULT_GATHERING: { fallback: 'implicit', env: ['ANSIBLE_GATHERING'], kind: 'string' },
  DEFAULT_HASH_BEHAVIOUR: { fallback: 'replace', env: ['ANSIBLE_HASH_BEHAVIOUR'], kind: 'string' },
  DEFAULT_TRANSPORT: { fallback: 'smart', env: ['ANSIBLE_TRANSPORT'], kind: 'string' },
  HOST_KEY_CHECKING: { fallback: true, env: ['ANSIBLE_HOST_KEY_CHECKING'], kind: 'boolean' },
  DEFAULT_JINJA2_NATIVE: { fallback: false, env: ['ANSIBLE_JINJA2_NATIVE'], kind: 'boolean' },
  DEFAULT_PRIVATE_ROLE_VARS: { fallback: false, env: ['ANSIBLE_PRIVATE_ROLE_VARS'], kind: 'boolean' },
  INJECT_FACTS_AS_VARS: { fallback: true, env: ['ANSIBLE_INJECT_FACT_VARS'], kind: 'boolean' },
  ANSIBLE_NOCOLOR: { fallback: false, env: ['ANSIBLE_NOCOLOR', 'NO_COLOR'], kind: 'boolean' },
  ANSIBLE_FORCE_COLOR: { fallback: false, env: ['ANSIBLE_FORCE_COLOR'], kind: 'boolean' },
};

function convert(text: string, kind: Kind): PyValue {
  if (kind === 'integer') return parseInt(text, 10);
  if (kind === 'boolean') return /^(1|true|yes|on|y|t)$/i.test(text.trim());
  return text;
}

/** lib/ansible/plugins/lookup/config.py for global settings (plugin settings are not read). */
export const config: Lookup = (env, terms, kwargs) => {
  const { on_missing: missing, plugin_type: pluginType, plugin_name: pluginName } = lookupOptions(kwargs, { on_missing: 'error', plugin_type: null, plugin_name: null });
  if (pluginType !== null || pluginName !== null) throw new PluginError('AnsibleLookupError', 'fleet does not read plugin settings with the config lookup');
  if (typeof missing !== 'string' || !['error', 'warn', 'skip'].includes(missing)) {
    throw new PluginError('AnsibleOptionsError', `"on_missing" must be a string and one of "error", "warn" or "skip", not ${pyStr(missing)}`);
  }
  const found: PyValue[] = [];
  for (const term of terms) {
    if (typeof term !== 'string') {
      throw new PluginError('AnsibleOptionsError', `Invalid setting identifier, "${pyStr(term)}" is not a string, its a <class '${pyTypeName(term)}'>`);
    }
    const setting = SETTINGS[term];
    if (!setting) {
      if (missing === 'error') throw new PluginError('AnsibleLookupError', `Unable to find setting ${term}`);
      continue;
    }
    const fromEnv = setting.env.map((name) => env.lookupContext.env[name]).find((value) => value !== undefined);
    found.push(fromEnv === undefined ? setting.fallback : convert(fromEnv, setting.kind));
  }
  return found;
};
