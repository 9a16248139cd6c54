import type { VariableSource } from '../template/index.js';
import type { PyDict, PyKey, PyValue } from '../template/values.js';
import { LAYER_RANK, type LayerName } from './precedence.js';

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
    for (let index = this.layers.length - 1; index >= 0; index -= 1) {
      const vars = (this.layers[index] as Layer).vars;
      if (vars.has(name)) return vars.get(name);
    }
    return undefined;
  }

  names(): Iterable<string> {
    const names = new Set<string>();
    for (const layer of this.layers) for (const key of layer.vars.keys()) if (typeof key === 'string') names.add(key);
    return names;
  }

  /** A new scope with more layers on top of (or between) these. */
  with(...layers: Layer[]): VariableScope {
    return new VariableScope([...this.layers, ...layers]);
  }

  /** Every variable flattened into one dict (for `vars`/`hostvars` views and debug). */
  flatten(into: PyDict): PyDict {
    for (const layer of this.layers) for (const [key, value] of layer.vars) into.set(key as string, value);
    return into;
  }
}
