import type { ResolvedConfig } from './ansible_cfg.js';
import type { SettingName } from './honoured.js';
import { SettingError } from './integer_setting.js';

/** A setting with `choices` in base.yml: one of them, or ConfigManager's error listing them in base.yml's order. */
export function choiceSetting<Choice extends string>(config: ResolvedConfig, name: SettingName, ansibleName: string, choices: readonly Choice[], fallback: Choice): Choice {
  const value = config.get(name);
  if (value === undefined) return fallback;
  const choice = choices.find((each) => each === value);
  if (choice !== undefined) return choice;
  throw new SettingError(`Invalid value "${value}" for configuration option "setting: ${ansibleName} ", valid values are: ${choices.join(', ')}`);
}
