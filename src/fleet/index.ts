import { realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PolicyError, ValidationError, type FleetError } from '../errors.js';
import { hostsOfGroup } from '../inventory/index.js';
import { loadYamlFile, type LoadedYaml } from '../yaml/load.js';
import { checkBannedProviders } from './banned_scan.js';
import { validateGoldenState } from './golden_state.js';
import { findPolicyFile, loadBannedPolicy, type BannedPolicy } from './policy.js';
import { runFiles, type RunFiles } from './run_files.js';
import type { FleetRunInput } from './run_input.js';
import { sharedAddressErrors } from './shared_address.js';

export type { FleetRunInput } from './run_input.js';

/**
 * The Timmy Foundation fleet's checks of a run, before any host is contacted: the golden
 * state's schema, distinct homes for wizards sharing an address, and the banned-provider
 * policy. They apply where a BANNED_PROVIDERS.yml sits in or above the playbook's
 * directory (or the cwd): fleet runs any Ansible content, the policy is this repository's.
 */
export function checkFleet(run: FleetRunInput, parsed: ReadonlyMap<string, LoadedYaml> = new Map(), policy = fleetPolicyOf(run)): FleetError[] {
  if (!policy) return [];
  const playbookDirs = playbookDirsOf(run);
  const files = runFiles(run, policy.file);
  // `parsed`: files a caller has parsed already (fleet validate), by real path; read, never changed.
  const loaded = new Map<string, LoadedYaml>(parsed);
  const loadYaml = (file: string) => loaded.get(file) ?? loaded.set(file, loadYamlFile(file)).get(file)!;
  const errors = [...goldenStateErrors(run, policy, files, loadYaml), ...sharedAddressErrors(run, playbookDirs), ...checkBannedProviders(run, policy, files, loadYaml)];
  return onePerPlace(errors);
}

/** One banned-value error per file:line:col: the golden-state schema and the banned scan both see the chain. */
function onePerPlace(errors: FleetError[]): FleetError[] {
  const places = new Set<string>();
  return errors.filter((error) => {
    if (!error.location || !/(^|\s)banned /.test(error.message)) return true;
    const place = `${error.location.file}:${error.location.line}:${error.location.col}`;
    if (places.has(place)) return false;
    places.add(place);
    return true;
  });
}

/** The BANNED_PROVIDERS.yml that governs a run: the nearest in or above a playbook's directory, else the cwd's. */
export function fleetPolicyOf(run: FleetRunInput): BannedPolicy | undefined {
  const policyFile = [...playbookDirsOf(run), run.cwd].map(findPolicyFile).find((file) => file !== undefined);
  return policyFile ? loadBannedPolicy(realpathSync(policyFile)) : undefined;
}

function playbookDirsOf(run: FleetRunInput): string[] {
  return run.playbooks.map((playbook) => dirname(resolve(run.cwd, playbook.file)));
}

/**
 * checkFleet for `fleet apply`: throws one PolicyError listing every problem; else returns
 * the run's policy, for what changes the inventory while it runs (runtime_policy.ts).
 */
export function enforceFleetPolicy(run: FleetRunInput): BannedPolicy | undefined {
  const policy = fleetPolicyOf(run);
  const errors = checkFleet(run, new Map(), policy);
  if (errors.length > 0) throw policyRefusal(`refusing to run: ${errors.length} fleet policy problem(s), no host was contacted`, errors);
  return policy;
}

/** One PolicyError: `headline`, then one `file:line:col: …` line per problem. */
export function policyRefusal(headline: string, errors: FleetError[]): PolicyError {
  return new PolicyError(`${headline}:\n${errors.map((error) => `  ${error.format()}`).join('\n')}`);
}

/** The golden-state schema over every vars file, the inventories' host and group vars, and the extra vars. */
function goldenStateErrors(run: FleetRunInput, policy: BannedPolicy, files: RunFiles, loadYaml: (file: string) => LoadedYaml): FleetError[] {
  const errors: FleetError[] = [];
  const add = (found: FleetError[]) => errors.push(...found);
  for (const file of files.yaml) {
    if (!/\/(group_vars|host_vars)\//.test(file)) continue;
    let loaded: LoadedYaml;
    try {
      loaded = loadYaml(file);
    } catch (error) {
      // A file that does not parse is one problem among the others (fleet validate lists them all).
      if (error instanceof ValidationError) errors.push(error);
      else throw error;
      continue;
    }
    add(validateGoldenState(loaded.documents[0] ?? null, file, policy));
  }
  const inventory = run.inventory.inventory;
  for (const host of hostsOfGroup(inventory, 'all')) add(validateGoldenState(host.vars, String(host.vars.get('inventory_file') ?? '<inventory>'), policy));
  for (const group of inventory.groups.values()) add(validateGoldenState(group.vars, '<inventory>', policy));
  add(validateGoldenState(run.extraVars, '<extra vars>', policy));
  return errors;
}
