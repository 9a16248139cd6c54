import type { ResolvedConfig } from '../../config/ansible_cfg.js';
import { integerSetting, SettingError } from '../../config/integer_setting.js';
import { strRepr } from '../../template/python/str_repr.js';

/** DEFAULT_GATHERING: whether plays gather facts unless they say, only when they say, or once per host. */
export const GATHERING = ['implicit', 'explicit', 'smart'] as const;
export type Gathering = (typeof GATHERING)[number];

/** The fact cache plugin (CACHE_PLUGIN) with its options, as the jsonfile plugin reads them. */
export type FactCacheSettings =
  | { plugin: 'memory' }
  | {
      plugin: 'jsonfile';
      /** fact_caching_connection, `~`/`$VAR` expanded and made absolute. */
      dir: string;
      /** fact_caching_prefix: a file is `<prefix><inventory_hostname>`. */
      prefix: string;
      /** fact_caching_timeout in seconds; 0 keeps files forever. */
      timeoutSeconds: number;
    };

/** A fact cache setting Ansible rejects before it starts (AnsibleOptionsError, exit 5). */
export class CacheSettingError extends SettingError {}

const PLUGINS: Record<string, FactCacheSettings['plugin']> = {
  memory: 'memory',
  'ansible.builtin.memory': 'memory',
  jsonfile: 'jsonfile',
  'ansible.builtin.jsonfile': 'jsonfile',
};

export function gatheringFrom(config: ResolvedConfig): Gathering {
  const value = config.get('gathering') ?? 'implicit';
  const known = GATHERING.find((choice) => choice === value);
  if (known) return known;
  throw new CacheSettingError(`Invalid value "${value}" for configuration option "setting: DEFAULT_GATHERING ", valid values are: ${GATHERING.join(', ')}`);
}

/**
 * CACHE_PLUGIN and its options. Ansible checks the timeout's type for every run; a plugin it
 * cannot load, or a jsonfile cache without a usable directory, only warns and leaves the run
 * with an in-memory cache (VariableManager.__init__). A plugin fleet lacks, though a
 * collection may provide it to Ansible, is refused rather than quietly not persisted.
 */
export function factCacheFrom(config: ResolvedConfig, warn: (message: string) => void): FactCacheSettings {
  const timeoutSeconds = integerSetting(config, 'factCachingTimeout', 'CACHE_PLUGIN_TIMEOUT', 86400);
  const name = config.get('factCaching') ?? 'memory';
  const plugin = PLUGINS[name];
  if (plugin === undefined) {
    throw new CacheSettingError(`fleet has no fact cache plugin ${strRepr(name)} (fact_caching, ANSIBLE_CACHE_PLUGIN): it keeps facts in memory or in jsonfile (ansible.builtin.memory, ansible.builtin.jsonfile)`);
  }
  if (plugin === 'memory') return { plugin };
  const dir = config.get('factCachingConnection');
  if (dir === undefined) {
    warn('No setting was provided for required configuration plugin_type: cache plugin: jsonfile setting: _uri');
    return { plugin: 'memory' };
  }
  return { plugin, dir, prefix: config.get('factCachingPrefix') ?? '', timeoutSeconds };
}
