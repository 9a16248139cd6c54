import { FleetError } from '../errors.js';
import type { Task } from '../playbook/model.js';
import type { Templar } from '../template/index.js';
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

/** The loop keyword of a task (`loop` or one `with_<lookup>`), or null when it does not loop. */
export function loopKeyword(task: Task): { kind: 'loop' } | { kind: 'with'; lookup: string } | null {
  if (task.keywords.has('loop')) return { kind: 'loop' };
  for (const key of task.keywords.keys()) if (key.startsWith('with_')) return { kind: 'with', lookup: key.slice(5) };
  return null;
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
  const raw = task.keywords.get(`with_${kind.lookup}`) ?? null;
  const templated = templar.template(raw);
  const terms = Array.isArray(templated) ? templated : [templated];
  // Same path as `query()` in a template, so with_<lookup> and lookups share one implementation.
  const scoped = templar.withVars(new Map([['__fleet_loop_terms', terms]]));
  const items = scoped.template(`{{ query(${JSON.stringify(kind.lookup)}, *__fleet_loop_terms) }}`);
  return Array.isArray(items) ? items : [items];
}

export function loopControl(task: Task, templar: Templar): LoopControl {
  const raw = task.keywords.get('loop_control');
  const control = raw instanceof PyDict ? (templar.template(raw) as PyDict) : new PyDict();
  const text = (key: string): string | null => {
    const value = control.get(key);
    return value === undefined || value === null ? null : pyStr(value);
  };
  return {
    loopVar: text('loop_var') ?? 'item',
    indexVar: text('index_var'),
    label: raw instanceof PyDict && raw.has('label') ? (raw.get('label') ?? null) : null,
    pauseSeconds: Number(text('pause') ?? 0),
    extended: control.get('extended') === true,
    extendedAllItems: control.get('extended_allitems') !== false,
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
