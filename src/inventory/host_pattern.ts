import { parseAddress } from './address.js';
import { expandHostRange, hasRange, HostRangeError } from './ranges.js';

export interface ExpandedHosts {
  names: string[];
  port?: number;
}

/**
 * A host entry of an inventory file (`web[1:3].example.com:2222`) as the hosts it names and
 * their port (BaseInventoryPlugin._expand_hostpattern). Throws HostRangeError.
 */
export function expandHostPattern(pattern: string): ExpandedHosts {
  const address = parseAddress(pattern, true);
  const base = address?.host ?? pattern;
  const names = hasRange(base) ? expandHostRange(base) : [base];
  return address?.port === undefined ? { names } : { names, port: address.port };
}

export { HostRangeError };
