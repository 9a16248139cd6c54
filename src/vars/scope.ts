import type { VariableSource } from '../template/index.js';
import { PyDict, type PyKey, type PyValue } from '../template/values.js';
import { mergeHash, mergesHashes } from './combine.js';
import { ASSIGNED_LAYERS, JOINED_LAYERS, LAYER_RANK, type LayerName } from './precedence.js';

export interface Layer {
  name: LayerName;
  vars: ReadonlyMap<PyKey, PyValue>;
}

/**
 * A host's variables at one point of a run: named layers in precedence order. A lookup
 * walks from the highest layer down, so nothing is merged or copied per task.
 */
export class VariableScope implements VariableSource {
  private readonly layers: Layer[];

  constructor(layers: Layer[]) {
    this.layers = [...layers].sort((a, b) => LAYER_RANK[a.name] - LAYER_RANK[b.name]);
  }

  get(name: string): PyValue | undefined {
    if (mergesHashes()) return this.merged(name);
    for (let index = this.layers.length - 1; index >= 0; index -= 1) {
      const vars = (this.layers[index] as Layer).vars;
      if (vars.has(name)) return vars.get(name);
    }
    return undefined;
  }

  /**
   * hash_behaviour=merge: VariableManager.get_vars combines each layer over the ones below
   * with merge_hash, so a dict is merged with the dicts under it down to the first value
   * that is not a dict (which the dict above replaced).
   */
  private merged(name: string): PyValue | undefined {
    const dicts: PyDict[] = [];
    let joined = false;
    for (let index = this.layers.length - 1; index >= 0; index -= 1) {
      const layer = this.layers[index] as Layer;
      if (!layer.vars.has(name)) continue;
      if (JOINED_LAYERS.has(layer.name)) {
        // Below the highest of them, these were replaced before the combine (Task.get_vars).
        if (joined) continue;
        joined = true;
      }
      const value = layer.vars.get(name) as PyValue;
      if (!(value instanceof PyDict) || ASSIGNED_LAYERS.has(layer.name)) {
        if (dicts.length === 0) return value;
        break;
      }
      dicts.push(value);
    }
    if (dicts.length <= 1) return dicts[0];
    return dicts.reduceRight((below, above) => mergeHash(below, above));
  }

  names(): Iterable<string> {
    const names = new Set<string>();
    for (const layer of this.layers) for (const key of layer.vars.keys()) if (typeof key === 'string') names.add(key);
    return names;
  }

  /** A new scope without the layers named `name`. */
  without(name: LayerName): VariableScope {
    return new VariableScope(this.layers.filter((layer) => layer.name !== name));
  }

  /** A new scope with more layers on top of (or between) these. */
  with(...layers: Layer[]): VariableScope {
    return new VariableScope([...this.layers, ...layers]);
  }

  /** Every variable flattened into one dict (for `vars`/`hostvars` views and debug). */
  flatten(into: PyDict): PyDict {
    if (mergesHashes()) {
      for (const key of this.names()) into.set(key, this.merged(key) as PyValue);
      return into;
    }
    for (const layer of this.layers) for (const [key, value] of layer.vars) into.set(key as string, value);
    return into;
  }
}
