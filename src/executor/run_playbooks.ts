import { dirname, resolve } from 'node:path';
import { enforceFleetPolicy, type FleetRunInput } from '../fleet/index.js';
import { enforceRefreshedInventoryPolicy } from '../fleet/runtime_policy.js';
import { getHost, hostVarsFromInventory, HostSelector, InventoryUnparsedError, loadInventory, type Host, type LoadedInventory, type InventoryNotice, type InventoryPolicy } from '../inventory/index.js';
import { checkModeShown } from '../output/callback_options.js';
import type { RunEvents } from '../output/events.js';
import { loadPlaybook } from '../playbook/load.js';
import type { Play, Playbook } from '../playbook/model.js';
import { isOmit, OMIT, Templar } from '../template/index.js';
import { pyStr } from '../template/python/index.js';
import { toBool } from '../modules/argspec.js';
import { PyDict, PyFloat, type PyValue } from '../template/values.js';
import { ConnectionPool } from './connection_pool.js';
import { reapplyInventoryChanges } from './dynamic_inventory.js';
import type { ConnectionDefaults } from './connection_vars.js';
import type { RunContext, RunOptions } from './context.js';
import { loadExtraVars } from './extra_vars.js';
import { HostState } from './host_state.js';
import { onInterrupt } from './interrupt.js';
import { PlayRunner } from './play_runner.js';
import { requirePlaybookFiles } from './playbook_files.js';
import { isKnownStrategy, strategyName, strategyRun, type Strategy } from '../playbook/strategy.js';
import { ValidationError } from '../errors.js';
import { promptPlayVars } from './vars_prompt.js';
import { forgetGroupsVar } from './scope.js';
import { AggregateStats } from './stats.js';
import type { SecretRegistry } from '../secrets/registry.js';
import type { VaultSourceOptions } from '../vault/sources.js';
import { withRunVault } from '../vault/run.js';
import { phase } from '../profile/phase.js';
import { savePythonProbes } from '../facts/python_cache.js';
import { cachedFactsReader, openFactStore, type FactStore } from '../facts/cache/index.js';

export interface ApplyOptions extends RunOptions {
  playbooks: string[];
  inventory: string[];
  extraVars: string[];
  rolesPath: string[];
  /** LOCALHOST_WARNING: an empty inventory is warned about. */
  localhostWarning: boolean;
  /** What an inventory source no plugin parses leads to (INVENTORY_UNPARSED_* settings). */
  inventoryPolicy: InventoryPolicy;
  cwd: string;
  connection: ConnectionDefaults;
  /** Where the vault passwords come from (--vault-id, --vault-password-file, ansible.cfg). */
  vault: VaultSourceOptions;
  /** Every secret value of the run (vault plaintexts…), for whatever masks output or records it. */
  secrets: SecretRegistry;
}

export interface ApplyResult {
  exitCode: number;
  stats: AggregateStats;
  /** Every host the run touched, in the order it first met them: the first play's hosts in play order, then the rest. */
  hosts: string[];
}

/** Everything that can be checked without a host: inventory, extra vars, playbooks. */
export function prepareRun(options: ApplyOptions, events: RunEvents) {
  requirePlaybookFiles(options.playbooks, options.cwd);
  const loaded = loadRunInventory(options, events);
  // CLI.get_host_list: an empty inventory warns, and a --limit that leaves no host ends the run before any playbook loads.
  new HostSelector(loaded.inventory, (message) => events.warning(message), options.hostPatternMismatch).hostsForRun(options.limit, 'all', options.localhostWarning);
  const extraVars = loadExtraVars(options.extraVars, options.cwd);
  const playbooks: Playbook[] = options.playbooks.map((file) => loadPlaybook(resolve(options.cwd, file), { rolesPath: options.rolesPath, extraVars }));
  const fleetInput: FleetRunInput = { inventory: loaded, inventorySources: options.inventory, playbooks, extraVars, extraVarsArgs: options.extraVars, cwd: options.cwd, limit: options.limit };
  const policy = enforceFleetPolicy(fleetInput);
  return { loaded, extraVars, playbooks, fleetInput, policy };
}

/** The inventory and its warnings; under INVENTORY_*UNPARSED*_IS_FAILED the warnings Ansible prints before it fails. */
function loadRunInventory(options: ApplyOptions, events: RunEvents): LoadedInventory {
  try {
    const loaded = loadInventory(options.inventory, options.inventoryPolicy, inventoryFacts(options, events));
    showNotices(loaded.notices, events);
    return loaded;
  } catch (err) {
    if (err instanceof InventoryUnparsedError) showNotices(err.notices, events);
    throw err;
  }
}

/** The facts the cache holds as the run starts, for the constructed inventory plugin. */
function inventoryFacts(options: ApplyOptions, events: RunEvents): (host: string) => PyDict | undefined {
  return cachedFactsReader(options.factCache, (message) => events.warning(message));
}

function showNotices(notices: InventoryNotice[], events: RunEvents): void {
  for (const { level, message } of notices) {
    if (level === 'warning') events.warning(message);
    else events.wrappedError?.(message);
  }
}

/** ansible-playbook's `serial`: batch sizes (numbers, percentages, or a list of them). */
function batches(hosts: string[], serial: PyValue | undefined, templar: Templar): string[][] {
  if (serial === undefined || serial === null) return [hosts];
  const templated = templar.template(serial);
  // A keyword templated to omit is as if unset (FieldAttributeBase.post_validate's set_to_context).
  if (isOmit(templated)) return [hosts];
  const sizes = (Array.isArray(templated) ? templated : [templated]).map((value) => {
    const text = pyStr(value instanceof PyFloat ? Math.trunc(value.value) : value).trim();
    const size = text.endsWith('%') ? Math.trunc((hosts.length * Number(text.slice(0, -1))) / 100) : Number(text);
    return size <= 0 ? hosts.length : Math.max(1, size);
  });
  const out: string[][] = [];
  let index = 0;
  let position = 0;
  while (position < hosts.length) {
    const size = sizes[Math.min(index, sizes.length - 1)] as number;
    out.push(hosts.slice(position, position + size));
    position += size;
    index += 1;
  }
  return out;
}

/** Runs the playbooks with the run's vault secrets, so vaulted files and `!vault` values decrypt. */
export async function applyPlaybooks(options: ApplyOptions, events: RunEvents): Promise<ApplyResult> {
  return withRunVault(options.vault, options.cwd, options.secrets, (message) => events.warning(message), () => runPlaybooks(options, events));
}

async function runPlaybooks(options: ApplyOptions, events: RunEvents): Promise<ApplyResult> {
  phase('apply: start');
  const { loaded, extraVars, playbooks, fleetInput, policy } = prepareRun(options, events);
  phase('apply: inventory and playbooks loaded');
  const stats = new AggregateStats();
  const lockWait = Number(options.connection.env.FLEET_HOST_LOCK_WAIT);
  const pool = new ConnectionPool(Number.isFinite(lockWait) && lockWait >= 0 ? lockWait : undefined, !options.check && options.readOnly !== true);
  let taskId = 0;
  const firstPlaybook = playbooks[0];
  const selector = new HostSelector(loaded.inventory, (message) => events.warning(message), options.hostPatternMismatch);
  const factStore = openRunFactStore(options, selector, events);
  const warned = new Set(loaded.warnings);
  const run: RunContext = {
    options,
    inventory: loaded.inventory,
    inventorySources: options.inventory.map((source) => resolve(options.cwd, source)),
    inventoryDirs: loaded.inventoryDirs,
    playbookDir: firstPlaybook ? dirname(resolve(options.cwd, firstPlaybook.file)) : options.cwd,
    extraVars,
    hosts: new Map(),
    stateOf: (name) => {
      const host = getHost(loaded.inventory, name);
      return host ? hostState(host) : undefined;
    },
    inventoryChanged: (change) => {
      for (const warning of change.warnings.filter((each) => !warned.has(each))) {
        warned.add(warning);
        events.warning(warning);
      }
      if (!change.changed) return;
      selector.forget();
      forgetGroupsVar(run);
      for (const state of run.hosts.values()) state.forgetInventoryVars();
    },
    refreshInventory: () => {
      const fresh = loadInventory(options.inventory, options.inventoryPolicy, inventoryFacts(options, events));
      if (policy) enforceRefreshedInventoryPolicy(policy, { ...fleetInput, inventory: fresh });
      // In place: the host selector, the scopes and the host states all read this object.
      Object.assign(loaded.inventory, { hosts: fresh.inventory.hosts, groups: fresh.inventory.groups, localhost: fresh.inventory.localhost });
      const changes = [{ changed: true, warnings: fresh.warnings }, ...reapplyInventoryChanges(run)];
      for (const change of changes) run.inventoryChanged(change);
    },
    policy,
    pool,
    connectionDefaults: options.connection,
    events,
    stats,
    startedAt: false,
    nextTaskId: () => (taskId += 1),
  };
  function inventoryVarsOf(host: Host): PyDict {
    return hostVarsFromInventory(loaded.inventory, host, { inventoryDirs: loaded.inventoryDirs, playbookDirs: [run.playbookDir], warn: (m) => events.warning(m) });
  }
  function hostState(host: Host): HostState {
    let state = run.hosts.get(host.name);
    if (!state) {
      // By name: refresh_inventory replaces the inventory's Host objects (a host it dropped keeps its last).
      state = new HostState(host.name, () => inventoryVarsOf(getHost(loaded.inventory, host.name) ?? host), factStore);
      run.hosts.set(host.name, state);
    }
    return state;
  }
  const releaseInterrupt = onInterrupt(() => pool.closeAll());
  try {
    // PlaybookExecutor.run: the recap after each playbook (the counts so far), and no further
    // playbook once the last batch run ended with a host failed or unreachable, in any play.
    let lastBatch: PlayOutcome = 'no hosts';
    for (const [index, playbook] of playbooks.entries()) {
      events.playbookStart(playbook.file, { count: playbook.plays.length, path: options.playbooks[index] ?? playbook.file });
      for (const play of playbook.plays) {
        const outcome = await runPlay(run, play, selector, hostState);
        if (outcome !== 'no hosts') lastBatch = outcome;
        if (outcome === 'stop') break;
      }
      events.stats(stats.hosts, options.check, stats.custom);
      if (lastBatch === 'stop' || (lastBatch === 'ran' && [...run.hosts.values()].some((host) => host.failed || host.unreachable))) break;
    }
    if (options.startAtTask !== undefined && !run.startedAt) events.wrappedError?.(`No matching task "${options.startAtTask}" found. Note: --start-at-task can only follow static includes.`);
  } finally {
    releaseInterrupt();
    phase('apply: tasks done');
    await Promise.all([pool.closeAll(), savePythonProbes(), factStore.settle()]);
    phase('apply: closed');
  }
  events.end();
  phase('apply: ended');
  const states = [...run.hosts.values()];
  const exitCode = states.some((host) => host.unreachable) ? 4 : states.some((host) => host.failed) ? 2 : 0;
  return { exitCode, stats, hosts: [...run.hosts.keys()] };
}

/**
 * The run's fact cache, once the inventory is loaded. With --flush-cache, every inventory host
 * the limit leaves loses its entry first (PlaybookCLI._flush_cache), listings included.
 */
export function openRunFactStore(options: ApplyOptions, selector: HostSelector, events: RunEvents): FactStore {
  const store = openFactStore(options.factCache, (message) => events.warning(message), options.readOnly === true);
  if (!options.flushCache) return store;
  selector.setLimit(options.limit);
  for (const host of selector.getHosts('all')) store.remove(host.name);
  return store;
}

/**
 * A play's `strategy` (DEFAULT_STRATEGY when it sets none), templated as Play.post_validate
 * does; a name no plugin has ends the run, as TaskQueueManager.run ends it. fleet has no task
 * debugger, so the debug strategy runs as linear, with a warning.
 */
function playStrategy(run: RunContext, play: Play, templar: Templar): Strategy {
  const raw = play.keywords.get('strategy') ?? run.options.strategy ?? null;
  if (raw === null) return 'linear';
  const name = pyStr(templar.template(raw));
  if (!isKnownStrategy(name)) throw new ValidationError(`Invalid play strategy specified: ${name}`, { location: play.at });
  if (strategyName(name) === 'debug') run.events.warning("fleet runs the 'debug' strategy as 'linear': it has no task debugger");
  return strategyRun(name);
}

/** A templar for a play's own keywords: its vars, the extra vars and `omit`, as VariableManager.get_vars(play=play) gives. */
function playTemplar(run: RunContext, play: Play): Templar {
  return new Templar({ vars: new PyDict([['omit', OMIT], ...play.vars, ...run.extraVars]) });
}

/** How a play ended: `stop` the run (PlaybookExecutor's break_play), `ran` a batch, or `no hosts` matched. */
type PlayOutcome = 'stop' | 'ran' | 'no hosts';

/** Runs one play batch by batch. */
async function runPlay(run: RunContext, play: Play, selector: HostSelector, hostState: (host: Host) => HostState): Promise<PlayOutcome> {
  await promptPlayVars(run, play, playTemplar(run, play));
  const templar = playTemplar(run, play);
  const strategy = playStrategy(run, play, templar);
  const pattern = templar.template(play.hosts);
  const patternList = (Array.isArray(pattern) ? pattern : [pattern]).map((value) => pyStr(value));
  selector.setLimit(run.options.limit);
  const order = play.keywords.get('order');
  const orderName = order === undefined || order === null ? undefined : pyStr(templar.template(order));
  const selectHosts = () => selector.getHosts(patternList, orderName).map((host) => hostState(host).name);
  const name = play.name === null ? patternList.join(',') : pyStr(templar.template(play.name));
  const names = selectHosts().filter((host) => !run.hosts.get(host)?.failed && !run.hosts.get(host)?.unreachable);
  if (names.length === 0) {
    run.events.playStart(name, run.options.check, checkModeShown(play.keywords.get('check_mode'), run.options.check));
    run.events.noHostsMatched();
    return 'no hosts';
  }
  const gatherRaw = play.keywords.get('gather_facts');
  // PlayIterator: explicit gathers only for `gather_facts: true`; implicit and smart unless it is false.
  const gather = gatherRaw === undefined || gatherRaw === null ? run.options.gathering !== 'explicit' : toBool(templar.template(gatherRaw));
  // The play's force_handlers beats --force-handlers, ANSIBLE_FORCE_HANDLERS and ansible.cfg (its default).
  const forceRaw = play.keywords.get('force_handlers');
  const forceHandlers = forceRaw === undefined || forceRaw === null ? run.options.forceHandlers : toBool(templar.template(forceRaw));
  const removedHosts = new Set<string>();
  for (const planned of batches(names, play.keywords.get('serial'), templar)) {
    // A host refresh_inventory took out of the play (from `names`, in place) runs in no later
    // batch; one left empty still shows its PLAY banner (the batch restricts the inventory).
    const batch = planned.filter((host) => names.includes(host));
    run.events.playStart(name, run.options.check, checkModeShown(play.keywords.get('check_mode'), run.options.check));
    if (await new PlayRunner(run, play, name, names, selectHosts, batch, removedHosts, strategy).runBatch(gather, forceHandlers)) return 'stop';
    // A batch in which every host failed or became unreachable ends the run.
    if (planned.every((host) => run.hosts.get(host)?.failed || run.hosts.get(host)?.unreachable)) return 'stop';
  }
  return 'ran';
}
