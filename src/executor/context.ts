import type { FactCacheSettings, Gathering } from '../facts/cache/index.js';
import type { BannedPolicy } from '../fleet/policy.js';
import type { Inventory, InventoryChange } from '../inventory/index.js';
import type { PatternMismatch } from '../inventory/patterns.js';
import type { RunEvents } from '../output/events.js';
import type { SecretRegistry } from '../secrets/registry.js';
import type { Play } from '../playbook/model.js';
import type { PyDict } from '../template/values.js';
import type { ConnectionPool } from './connection_pool.js';
import type { ConnectionDefaults } from './connection_vars.js';
import type { HostState } from './host_state.js';
import type { ScriptHook } from './script_hook.js';
import type { AggregateStats } from './stats.js';

export interface RunOptions {
  /** The ansible.cfg in use (C.CONFIG_FILE, the `ansible_config_file` variable), null when there is none. */
  configFile?: string | null;
  /** DEFAULT_GATHER_SUBSET: the gather_subset of a play that sets none. */
  gatherSubset?: string[];
  check: boolean;
  diff: boolean;
  forks: number;
  verbosity: number;
  tags: string[];
  skipTags: string[];
  limit?: string;
  startAtTask?: string;
  /**
   * ANSIBLE_GATHERING: implicit gathers unless a play says `gather_facts: false`, explicit
   * only when it says true, smart as implicit but not for a host whose cache holds gathered facts.
   */
  gathering: Gathering;
  /** ANSIBLE_CACHE_PLUGIN and its options: where facts outlive the run. */
  factCache: FactCacheSettings;
  /** --flush-cache: the cache entries of the inventory's hosts (under --limit) go first. */
  flushCache: boolean;
  /** --force-handlers, ANSIBLE_FORCE_HANDLERS: a failed host still runs its notified handlers. */
  forceHandlers: boolean;
  /** DEFAULT_PRIVATE_ROLE_VARS: a role's vars are its own tasks' only, not the whole play's (its defaults still are). */
  privateRoleVars?: boolean;
  /** DEFAULT_STRATEGY: the strategy of a play that names none (linear when unset). */
  strategy?: string;
  /** ERROR_ON_MISSING_HANDLER: a notify naming no handler ends the run (else it warns). */
  errorOnMissingHandler: boolean;
  /** ANSIBLE_ASYNC_DIR / [defaults] async_dir, when set: the sh shell plugin's async_dir (the ansible_async_dir variable beats it). */
  asyncDir?: string;
  /** HOST_PATTERN_MISMATCH: a play or --limit pattern matching no host warns, ends the run, or passes. */
  hostPatternMismatch: PatternMismatch;
  /** Privilege escalation defaults ([privilege_escalation] in ansible.cfg, ANSIBLE_BECOME*). */
  become: { enabled: boolean; user: string; method: string; flags: string; exe?: string; password?: string };
  /** The run's secrets: a become password found in the variables joins them, so nothing prints it. */
  secrets?: SecretRegistry;
  /** Sees each module script before it is sent; may answer in the host's place (fleet render). */
  scriptHook?: ScriptHook;
  /** A run that writes nothing on the hosts (fleet render), so it takes no host lock either. */
  readOnly?: boolean;
}

/** Everything one `fleet apply` run shares across plays. */
export interface RunContext {
  options: RunOptions;
  inventory: Inventory;
  inventorySources: string[];
  inventoryDirs: string[];
  playbookDir: string;
  extraVars: PyDict;
  /** States of the hosts the run has touched so far, by name. */
  hosts: Map<string, HostState>;
  /** A host's state, made on first use for any inventory host (or the implicit localhost). */
  stateOf(name: string): HostState | undefined;
  /**
   * After group_by changed `inventory`: shows its new warnings (each once per run) and, when
   * it changed, recomputes what was derived from group membership (host patterns, `groups`,
   * each host's inventory and group_vars).
   */
  inventoryChanged(change: InventoryChange): void;
  /**
   * `meta: refresh_inventory`: parses the inventory sources again, in place of what `inventory`
   * held, and applies the run's add_host and group_by results to it again.
   */
  refreshInventory(): void;
  /** The run's BANNED_PROVIDERS.yml, if one governs it: what add_host gives is checked against it. */
  policy: BannedPolicy | undefined;
  pool: ConnectionPool;
  connectionDefaults: ConnectionDefaults;
  events: RunEvents;
  stats: AggregateStats;
  /** Whether `--start-at-task` has found its task (later plays run in full). */
  startedAt: boolean;
  /** Counter for TaskInfo ids. */
  nextTaskId: () => number;
}

/** One play being run on one batch of hosts. */
export interface PlayContext {
  run: RunContext;
  play: Play;
  /** The play's templated name, else its host patterns joined (Play.get_name: ansible_play_name). */
  name: string;
  /**
   * All hosts the play targets (ansible_play_hosts_all), shared by the play's batches:
   * refresh_inventory selects them again, in place.
   */
  allHosts: string[];
  /** The hosts the play's pattern (under --limit, in its order) selects from the inventory now, failed or not. */
  selectHosts(): string[];
  /** The current serial batch (ansible_play_batch). */
  batch: string[];
  /** vars_files loaded per host. */
  varsFiles: Map<string, PyDict>;
  /** Hosts whose vars_files had an entry skipped for an undefined variable: read again before each task. */
  varsFilesIncomplete: Set<string>;
  /**
   * Play._removed_hosts, shared by the play's batches: hosts a failure no rescue handles took
   * out of ansible_play_hosts, even while an always (force_handlers' flush) still runs for them.
   */
  removedHosts: Set<string>;
}
