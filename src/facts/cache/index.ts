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
