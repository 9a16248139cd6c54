import { HASH_BEHAVIOURS, type HashBehaviour } from '../vars/combine.js';
import type { ResolvedConfig } from './ansible_cfg.js';
import { choiceSetting } from './choice_setting.js';

/** DEFAULT_HASH_BEHAVIOUR from ansible.cfg or ANSIBLE_HASH_BEHAVIOUR (an unknown value is a SettingError). */
export function hashBehaviourFrom(config: ResolvedConfig): HashBehaviour {
  return choiceSetting(config, 'hashBehaviour', 'DEFAULT_HASH_BEHAVIOUR', HASH_BEHAVIOURS, 'replace');
}
