import type { PyDict } from '../../template/values.js';

/**
 * Where a host's facts outlive the run: Ansible's FactCache over its cache plugin. The run
 * keeps each host's facts in its HostState; the store is told of every change to them.
 */
export interface FactStore {
  /** The host's cached facts as the run starts; undefined when there are none or they expired. */
  load(host: string): PyDict | undefined;
  /** VariableManager.set_host_facts: the host's facts after the merge. */
  save(host: string, facts: PyDict): void;
  /** VariableManager.clear_facts (`meta: clear_facts`, `--flush-cache`). */
  remove(host: string): void;
  /** Resolves once every write has landed. */
  settle(): Promise<void>;
}

/** The memory plugin: the run's HostStates are the whole cache. */
export const memoryStore: FactStore = {
  load: () => undefined,
  save: () => {},
  remove: () => {},
  settle: async () => {},
};
