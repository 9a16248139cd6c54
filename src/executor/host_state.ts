import type { Task } from '../playbook/model.js';
import { memoryStore, type FactStore } from '../facts/cache/store.js';
import { factsLayer } from '../facts/facts_layer.js';
import { PyDict } from '../template/values.js';
import { RoleRuns } from './iterator.js';

/**
 * What fleet knows about one host during a run. Facts, set_facts and include_vars survive
 * from play to play, as they do in Ansible's VariableManager.
 */
export class HostState {
  /**
   * `ansible_facts` from setup/gather_facts and cacheable set_fact. Replaced, never changed
   * in place: templates may keep the dict they were handed (src/template/templar.ts).
   */
  facts = new PyDict();
  /** `set_fact` and `register` (Ansible's non-persistent facts). */
  readonly setFacts = new PyDict();
  readonly includeVars = new PyDict();
  readonly notified = new Set<Task>();
  /** Which roles ran on the host, so a role listed twice (same params) runs once. */
  readonly roleRuns = new RoleRuns();
  failed = false;
  unreachable = false;
  private factsLayer: PyDict | null = null;
  private inventoryLayer: PyDict | null = null;

  constructor(
    readonly name: string,
    /** Merges the host's inventory, group_vars and host_vars in Ansible's order. */
    private readonly mergeInventoryVars: () => PyDict,
    /** The fact cache: the host's facts start from it, and every change is written through. */
    private readonly factStore: FactStore = memoryStore,
  ) {
    this.facts = factStore.load(name) ?? this.facts;
  }

  /** Inventory, group_vars and host_vars: merged on first use, and again after group membership changed. */
  get inventoryVars(): PyDict {
    this.inventoryLayer ??= this.mergeInventoryVars();
    return this.inventoryLayer;
  }

  /** After group_by or add_host: the host's groups (so its group_vars) may differ. */
  forgetInventoryVars(): void {
    this.inventoryLayer = null;
  }

  /** Merges module-returned facts (setup, gather_facts, cacheable set_fact). */
  addFacts(facts: PyDict): void {
    this.facts = new PyDict([...this.facts, ...facts]);
    this.factsLayer = null;
    this.factStore.save(this.name, this.facts);
  }

  clearFacts(): void {
    this.facts = new PyDict();
    this.factsLayer = null;
    this.factStore.remove(this.name);
  }

  /** The facts layer: `ansible_facts` plus every fact injected under its own name (INJECT_FACTS_AS_VARS). */
  factsVars(): PyDict {
    return (this.factsLayer ??= factsLayer(this.facts));
  }
}
