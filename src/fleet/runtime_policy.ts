import type { SourceLocation } from '../errors.js';
import type { DynamicHost } from '../inventory/index.js';
import { checkBannedFiles, checkBannedValues } from './banned_scan.js';
import { policyRefusal } from './index.js';
import type { BannedPolicy } from './policy.js';
import { inventoryFiles } from './run_files.js';
import type { FleetRunInput } from './run_input.js';

/**
 * The banned-provider policy over what changes the inventory while a run goes on, which the
 * pre-flight check (enforceFleetPolicy) cannot have seen: the host add_host adds or updates
 * (its name, groups and vars are templated at run time, from registered output, lookups or
 * facts) and the inventory files meta: refresh_inventory reads again (a task may have
 * written them). Each throws one PolicyError naming every banned value and where it came
 * from, before the change is made: the run stops there, and no task runs with it.
 */
export function enforceAddedHostPolicy(policy: BannedPolicy, added: DynamicHost, at: SourceLocation): void {
  const host = added.hostName;
  const errors = [
    ...checkBannedValues(policy, host, at, () => 'the name of a host add_host adds'),
    ...checkBannedValues(policy, added.groups, at, () => `a group add_host puts ${host} in`),
    ...checkBannedValues(policy, added.hostVars, at, (path) => `host var ${path} that add_host gives ${host}`),
  ];
  if (errors.length > 0) throw policyRefusal(`refusing to go on: ${errors.length} fleet policy problem(s) in what add_host gives ${host}, which no task runs with`, errors);
}

/** `run.inventory` is the inventory refresh_inventory has just read, not yet in use. */
export function enforceRefreshedInventoryPolicy(policy: BannedPolicy, run: FleetRunInput): void {
  const errors = checkBannedFiles(policy, inventoryFiles(run, policy.file));
  if (errors.length > 0) throw policyRefusal(`refusing to go on: ${errors.length} fleet policy problem(s) in the inventory meta: refresh_inventory read, which no task runs with`, errors);
}
