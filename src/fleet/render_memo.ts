import type { VariableSource } from '../template/index.js';
import { PyDict, type PyValue } from '../template/values.js';

/**
 * Renders shared between hosts: a render is a function of the variables it reads (templates,
 * lookups' base directory and plugins are the same for every host of a task), so a host whose
 * variables hold the same values for every name an earlier render read gets that render's
 * outcome. Names read as undefined are part of the key: a var defined for one host only
 * still renders (or fails) for that host alone.
 */
export class RenderMemo<Outcome> {
  private readonly entries: { reads: Map<string, PyValue | undefined>; outcome: Outcome }[] = [];

  /** The outcome of an earlier render whose every read gives the same value in `vars`. */
  find(vars: VariableSource): Outcome | undefined {
    return this.entries.find((entry) => [...entry.reads].every(([name, value]) => sameValue(vars.get(name), value)))?.outcome;
  }

  /** Runs `render` over a source that records what it reads, and keeps the outcome unless it listed every name. */
  record(vars: VariableSource, render: (vars: VariableSource) => Outcome): Outcome {
    const recording = new RecordingSource(vars);
    const outcome = render(recording);
    if (!recording.listedNames) this.entries.push({ reads: recording.reads, outcome });
    return outcome;
  }
}

class RecordingSource implements VariableSource {
  readonly reads = new Map<string, PyValue | undefined>();
  listedNames = false;

  constructor(private readonly vars: VariableSource) {}

  get(name: string): PyValue | undefined {
    const value = this.vars.get(name);
    if (!this.reads.has(name)) this.reads.set(name, value);
    return value;
  }

  names(): Iterable<string> {
    this.listedNames = true;
    return this.vars.names();
  }
}

// Deeper values are compared by identity only: a miss only costs a render.
const MAX_DEPTH = 32;

/** Values that render alike: the same primitive, or lists and dicts (keys in order) of such; other objects by identity. */
export function sameValue(a: PyValue | undefined, b: PyValue | undefined, depth = 0): boolean {
  if (Object.is(a, b)) return true;
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => sameValue(item, b[index], depth + 1));
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.constructor !== b.constructor || a.size !== b.size) return false;
    const other = b.entries();
    for (const [key, value] of a) {
      const next = other.next();
      if (next.done || !Object.is(key, next.value[0]) || !sameValue(value, next.value[1], depth + 1)) return false;
    }
    return true;
  }
  return false;
}
