import { FleetError } from '../errors.js';
import { HostSelector, hostsOfGroup, splitHostPattern, type Inventory } from '../inventory/index.js';

/** The group whose hosts run an agent with a deadman and snapshots (inventory/hosts.yml). */
export const AGENT_GROUP = 'wizards';

const EVERY_HOST = new Set(['all', '*']);

/**
 * The wizards `--limit` names. A rollback restarts agents, so the pattern must name its hosts:
 * `all` or `*` is refused, and so is a pattern that matches nothing or a host that is no wizard.
 */
export function rollbackHosts(inventory: Inventory, limit: string, warn: (message: string) => void): string[] {
  if (splitHostPattern(limit).some((part) => EVERY_HOST.has(part.replace(/^[!&]/, '')))) {
    throw new FleetError(`--limit ${limit} would roll back every wizard; name the hosts or groups to roll back`);
  }
  const selector = new HostSelector(inventory, warn);
  selector.setLimit(limit);
  const matched = selector.getHosts('all').map((host) => host.name);
  if (matched.length === 0) throw new FleetError(`--limit ${limit} matches no host of the inventory`);
  const wizards = new Set(hostsOfGroup(inventory, AGENT_GROUP).map((host) => host.name));
  const others = matched.filter((name) => !wizards.has(name));
  if (others.length > 0) throw new FleetError(`--limit ${limit} matches hosts outside the ${AGENT_GROUP} group, which have no agent to roll back: ${others.join(', ')}`);
  return matched;
}
