import { ANSIBLE_SETTINGS } from './ansible_settings.js';
import { configBool } from './config_bool.js';
import { HONOURED_ENV_ONLY, SETTINGS } from './honoured.js';
import { FLEET_BEHAVES_AS, withoutEffect } from './without_effect.js';

/** ansible.cfg's sections and keys as parsed (keys lower-cased, values as written). */
export type ConfigSections = ReadonlyMap<string, ReadonlyMap<string, string>>;

const HONOURED_INI = new Set<string>(Object.values(SETTINGS).flatMap((setting) => setting.ini));
const HONOURED_ENV = new Set<string>([...Object.values(SETTINGS).flatMap((setting) => setting.env), ...HONOURED_ENV_ONLY]);

/** The Ansible settings each ansible.cfg key (`section.key`) or environment variable sets; one key can set several plugins' options. */
function ownersBy(kind: 'ini' | 'env'): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const setting of ANSIBLE_SETTINGS) for (const entry of setting[kind]) owners.set(entry, [...(owners.get(entry) ?? []), setting.name]);
  return owners;
}
const INI_OWNERS = ownersBy('ini');
const ENV_OWNERS = ownersBy('env');

/** An honoured key or variable whose setting fleet follows at some values only (stdout_callback) is still checked against them. */
const honouredAtAnyValue = (owners: readonly string[] | undefined): boolean => !(owners ?? []).some((name) => Array.isArray(FLEET_BEHAVES_AS.get(name)));

/** A key or variable Ansible reads is ignored in silence only when every setting it feeds leaves fleet nothing to do at this value. */
function unsupported(owners: readonly string[], value: string): boolean {
  return !owners.every((name) => withoutEffect(name) || behavesAs(FLEET_BEHAVES_AS.get(name), value));
}

function behavesAs(fleetValue: boolean | readonly string[] | undefined, value: string): boolean {
  if (fleetValue === undefined) return false;
  return typeof fleetValue === 'boolean' ? fleetValue === configBool(value, false) : fleetValue.includes(value.trim());
}

/**
 * The warnings for what fleet does not honour: one naming every ansible.cfg key and
 * ANSIBLE_* variable of an ansible-core 2.14 setting fleet does not support, and one naming
 * the ansible.cfg keys that are no ansible-core setting at all (Ansible ignores those in
 * silence; a misspelt key would otherwise go unnoticed). Variables Ansible does not define
 * are not reported: the environment holds many that are not meant for it.
 */
export function settingsWarnings(file: { path: string; sections: ConfigSections } | null, env: NodeJS.ProcessEnv): string[] {
  const fileUnsupported: string[] = [];
  const fileUnknown: string[] = [];
  for (const [section, entries] of file?.sections ?? []) {
    for (const [key, value] of entries) {
      const entry = `${section}.${key}`;
      if (HONOURED_INI.has(entry) && honouredAtAnyValue(INI_OWNERS.get(entry))) continue;
      const owners = INI_OWNERS.get(entry);
      if (owners === undefined) fileUnknown.push(`[${section}]${key}`);
      else if (unsupported(owners, value)) fileUnsupported.push(`[${section}]${key}`);
    }
  }
  const envUnsupported: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || (HONOURED_ENV.has(name) && honouredAtAnyValue(ENV_OWNERS.get(name)))) continue;
    const owners = ENV_OWNERS.get(name);
    if (owners !== undefined && unsupported(owners, value)) envUnsupported.push(name);
  }
  envUnsupported.sort();
  const places = [...(fileUnsupported.length > 0 ? [`${fileUnsupported.join(', ')} in ${file?.path}`] : []), ...(envUnsupported.length > 0 ? [`${envUnsupported.join(', ')} in the environment`] : [])];
  return [
    ...(places.length > 0 ? [`fleet does not support these settings and ignores them: ${places.join('; ')}`] : []),
    ...(fileUnknown.length > 0 ? [`ansible-core 2.14 has no setting ${fileUnknown.join(', ')} (in ${file?.path}); fleet ignores them as ansible-playbook does`] : []),
  ];
}
