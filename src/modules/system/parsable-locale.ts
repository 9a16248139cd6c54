import { Script } from '../../shell/script.js';

/**
 * get_best_parsable_locale on the host: `fleet_parsable_locale` sets `fleet_locale` to the
 * first of Ansible's preferences that `locale -a` lists, C when it lists none of them or fails
 * (module_utils/common/locale.py). Modules run the commands they parse in it.
 */
export const PARSABLE_LOCALE = Script.library(`fleet_parsable_locale() {
  fleet_locale=C
  fleet_locales=$(locale -a 2>/dev/null) && [ -n "$fleet_locales" ] || return 0
  for fleet_locale_pref in C.utf8 C.UTF-8 en_US.utf8 en_US.UTF-8 C POSIX; do
    if printf '%s\\n' "$fleet_locales" | grep -q -x -F -e "$fleet_locale_pref"; then fleet_locale=$fleet_locale_pref; return 0; fi
  done
}
`);
