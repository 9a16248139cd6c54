import type { PyDict } from '../../template/values.js';
import { openJsonFileStore } from './jsonfile.js';
import type { FactCacheSettings } from './settings.js';
import { memoryStore, type FactStore } from './store.js';

export type { FactStore } from './store.js';
export { factCacheFrom, gatheringFrom, CacheSettingError, type FactCacheSettings, type Gathering } from './settings.js';

/** The run's fact cache (VariableManager's FactCache), the memory one when jsonfile cannot start. */
export function openFactStore(settings: FactCacheSettings, warn: (message: string) => void, readOnly: boolean): FactStore {
  if (settings.plugin === 'memory') return memoryStore;
  return openJsonFileStore({ ...settings, warn, readOnly }) ?? memoryStore;
}

/**
 * Whether the host's cache holds facts the implicit gathering put there (the gather_facts
 * action marks them), which `gathering: smart` does not gather again.
 */
export function factsGathered(facts: ReadonlyMap<unknown, unknown>): boolean {
  return facts.get('_ansible_facts_gathered') === true;
}

/**
 * A host's facts in the cache, for the inventory (the constructed plugin, ansible-inventory's
 * host variables): the store opens read-only on the first question, so a run that never asks
 * never touches it.
 */
export function cachedFactsReader(settings: FactCacheSettings, warn: (message: string) => void): (host: string) => PyDict | undefined {
  let store: FactStore | undefined;
  return (host) => (store ??= openFactStore(settings, warn, true)).load(host);
}
