import { ANSIBLE_SETTINGS, DEPRECATED_SETTINGS, type DeprecatedSetting } from './ansible_settings.js';
import type { ConfigSections } from './settings_warnings.js';

/**
 * The deprecation messages ansible-playbook's CLI.run prints for the deprecated variables,
 * ansible.cfg keys and settings that are set (ConfigManager.DEPRECATED, in base.yml's order),
 * as Display.get_deprecation_message words them, without the `[DEPRECATION WARNING]: ` header.
 */
export function settingDeprecations(sections: ConfigSections | undefined, env: NodeJS.ProcessEnv): string[] {
  const inFile = (entry: string): boolean => sections?.get(entry.slice(0, entry.indexOf('.')))?.has(entry.slice(entry.indexOf('.') + 1)) === true;
  return DEPRECATED_SETTINGS.filter((deprecated) => {
    const setting = ANSIBLE_SETTINGS.find((each) => each.name === deprecated.setting);
    const fromEnv = setting?.env.some((name) => env[name] !== undefined) === true;
    if (deprecated.on === 'env') return env[deprecated.name] !== undefined;
    // get_config_value_and_origin reads the file only for a setting no variable set.
    if (deprecated.on === 'ini') return !fromEnv && inFile(deprecated.name);
    return fromEnv || setting?.ini.some(inFile) === true;
  }).map(message);
}

function message(deprecated: DeprecatedSetting): string {
  const name = deprecated.on === 'ini' ? `[${deprecated.name.replace('.', ']')}` : deprecated.name;
  const alternatives = deprecated.alternatives === undefined ? '' : `, use ${deprecated.alternatives} instead`;
  const text = `${name} option, ${deprecated.why}${alternatives}`.trim();
  const sentence = /[!?.]$/.test(text) ? text : `${text}.`;
  return `${sentence} This feature will be removed from ansible-core in version ${deprecated.version}. Deprecation warnings can be disabled by setting deprecation_warnings=False in ansible.cfg.`;
}
