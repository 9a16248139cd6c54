import type { PyValue } from '../template/values.js';
import { unavailable, type Where } from './problems.js';

/** The strategy plugins ansible-core 2.14 ships. */
const STRATEGIES = new Set(['linear', 'free', 'host_pinned', 'debug']);

/** How fleet runs a play: free and host_pinned as those plugins do, linear and debug (without its task debugger) as linear. */
export type Strategy = 'linear' | 'free' | 'host_pinned';

export function strategyRun(name: string): Strategy {
  const plugin = strategyName(name);
  return plugin === 'free' || plugin === 'host_pinned' ? plugin : 'linear';
}

/** A strategy name as written (`free`, `ansible.builtin.free`, `ansible.legacy.free`) without its collection. */
export function strategyName(value: string): string {
  return value.replace(/^ansible\.(builtin|legacy)\./, '');
}

/** Whether `value` names a strategy ansible-core has. */
export function isKnownStrategy(value: string): boolean {
  return STRATEGIES.has(strategyName(value));
}

/**
 * A play's `strategy:` as written, at load: a name no strategy plugin has is refused before
 * any play runs (ansible-playbook's TaskQueueManager refuses it when that play starts).
 */
export function checkStrategy(value: PyValue | undefined, where: Where): void {
  if (typeof value !== 'string' || value.includes('{{') || value.includes('{%')) return;
  if (!isKnownStrategy(value)) unavailable(`Invalid play strategy specified: ${value}`, where);
}
