import { FleetError } from '../errors.js';
import type { Task } from '../playbook/model.js';
import type { Templar } from '../template/index.js';
import { loopLookupTerms } from '../template/lookups/loop_terms.js';
import { pyStr } from '../template/python/index.js';
import { PyDict, type PyValue } from '../template/values.js';

export interface LoopControl {
  loopVar: string;
  indexVar: string | null;
  label: PyValue | null;
  pauseSeconds: number;
  extended: boolean;
  extendedAllItems: boolean;
}

/**
 * How a task loops, or null: the loader turns `with_<lookup>: x` into `loop_with: lookup`
 * plus `loop: x`, as Ansible's task.py `_preprocess_with_loop` does.
 */
export function loopKeyword(task: Task): { kind: 'loop' } | { kind: 'with'; lookup: string } | null {
  const lookup = task.keywords.get('loop_with');
  if (typeof lookup === 'string') return { kind: 'with', lookup };
  return task.keywords.has('loop') ? { kind: 'loop' } : null;
}

/**
 * The items a task loops over (TaskExecutor._get_loop_items): `loop` must template to a
 * list; `with_<lookup>` runs the lookup over its listified terms, as `query()` would.
 */
export function loopItems(task: Task, templar: Templar): PyValue[] {
  const kind = loopKeyword(task);
  if (!kind) return [];
  if (kind.kind === 'loop') {
    const value = templar.template(task.keywords.get('loop') ?? null);
    if (!Array.isArray(value)) {
      throw new FleetError(
        `Invalid data passed to 'loop', it requires a list, got this instead: ${pyStr(value)}. Hint: If you passed a list/dict of just one element, try adding wantlist=True to your lookup invocation or use q/query instead of lookup.`,
      );
    }
    return value;
  }
  const templated = templar.template(task.keywords.get('loop') ?? null);
  return templar.loopLookup(kind.lookup, loopLookupTerms(kind.lookup, templated));
}

export function loopControl(task: Task, templar: Templar): LoopControl {
  const raw = task.keywords.get('loop_control');
  const control = raw instanceof PyDict ? raw : new PyDict();
  // `label` is templated per item (it usually names the loop variable); the rest now.
  const value = (key: string): PyValue | null => {
    const given = control.get(key);
    return given === undefined || given === null ? null : templar.template(given);
  };
  const text = (key: string): string | null => {
    const given = value(key);
    return given === null ? null : pyStr(given);
  };
  return {
    loopVar: text('loop_var') ?? 'item',
    indexVar: text('index_var'),
    label: control.get('label') ?? null,
    pauseSeconds: Number(text('pause') ?? 0),
    extended: value('extended') === true,
    extendedAllItems: value('extended_allitems') !== false,
  };
}

/** `ansible_loop` for `loop_control.extended`. */
export function extendedLoopVars(items: PyValue[], index: number, allItems: boolean): PyDict {
  const loop = new PyDict([
    ['index', index + 1],
    ['index0', index],
    ['first', index === 0],
    ['last', index + 1 === items.length],
    ['length', items.length],
    ['revindex', items.length - index],
    ['revindex0', items.length - index - 1],
  ]);
  if (allItems) loop.set('allitems', items);
  if (index + 1 < items.length) loop.set('nextitem', items[index + 1] as PyValue);
  if (index > 0) loop.set('previtem', items[index - 1] as PyValue);
  return loop;
}

/** How an item is shown in `(item=…)`: the templated label, printed with Python's str(). */
export function itemLabel(value: PyValue): string {
  return pyStr(value);
}
