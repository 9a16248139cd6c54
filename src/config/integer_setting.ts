import { strRepr } from '../template/python/str_repr.js';
import type { ResolvedConfig } from './ansible_cfg.js';
import type { SettingName } from './honoured.js';

/** A setting Ansible rejects before it starts (AnsibleOptionsError): the commands print it and exit 5. */
export class SettingError extends Error {}

/**
 * ensure_type(value, 'integer'): Python's int() of the setting's text, or Ansible's error
 * naming the setting and where its value came from; an empty variable (not an empty
 * ansible.cfg key) falls back to the default, as get_config_value_and_origin lets it.
 */
export function integerSetting(config: ResolvedConfig, name: SettingName, ansibleName: string, fallback: number): number {
  const value = config.get(name);
  if (value === undefined || (value === '' && config.origin(name)?.startsWith('env: '))) return fallback;
  if (/^\s*[+-]?\d+(_\d+)*\s*$/.test(value)) return Number(value.replace(/_/g, ''));
  throw new SettingError(`Invalid type for configuration option setting: ${ansibleName} (from ${config.origin(name)}): invalid literal for int() with base 10: ${strRepr(value)}`);
}
