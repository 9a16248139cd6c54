import { writeFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { FleetError } from '../../errors.js';
import { loadExtraVars } from '../../executor/extra_vars.js';
import { loadConfig, type ResolvedConfig } from '../../config/ansible_cfg.js';
import { CacheSettingError, cachedFactsReader, factCacheFrom } from '../../facts/cache/index.js';
import type { CachedFacts } from '../../inventory/file_plugins.js';
import { configBool } from '../../config/config_bool.js';
import { inventoryPolicyFrom } from '../../config/inventory_policy.js';
import { hashBehaviourFrom } from '../../config/hash_behaviour.js';
import { SettingError } from '../../config/integer_setting.js';
import { useHashBehaviour } from '../../vars/combine.js';
import { InventoryUnparsedError, loadInventory, type InventoryNotice, type LoadedInventory, type InventoryPolicy } from '../../inventory/index.js';
import { InventoryOptionError, showGraph, showHost, showList, type ShowOptions } from '../../inventory/show.js';
import { wrapText } from '../../template/filters/textwrap.js';
import { wrappedErrorText } from '../../output/textwrap.js';
import { SecretRegistry } from '../../secrets/registry.js';
import { withRunVault } from '../../vault/run.js';
import { vaultSourcesFrom, type VaultFlags } from '../vault_flags.js';

/** `fleet inventory`: prints what `ansible-inventory` prints for the same sources. */

export interface InventoryCommandOptions extends VaultFlags {
  inventory: string[];
  list?: boolean;
  host?: string;
  graph?: boolean;
  /** The positional host|group argument (a group name for --graph). */
  pattern?: string;
  yaml?: boolean;
  vars?: boolean;
  export?: boolean;
  /** -e: extra vars (key=value, YAML/JSON, or @file), later ones overriding earlier ones. */
  extraVars?: string[];
  /** --output: write the result to this file instead of stdout. */
  output?: string;
  /** --playbook-dir; without it the current directory plays that part, as in Ansible. */
  playbookDir?: string;
  cwd?: string;
  /** What a source no plugin parses leads to (INVENTORY_UNPARSED_* settings; Ansible's defaults when not given). */
  inventoryPolicy?: InventoryPolicy;
  /** The fact cache's facts (a jsonfile cache), shown with each host's variables. */
  cachedFacts?: CachedFacts;
}

export interface InventoryCommandResult {
  stdout: string;
}

/** Receives each distinct warning as it arises, so warnings before a failure are shown too. */
export type WarningSink = (message: string) => void;

// DEFAULT_HOST_LIST's default, when neither -i, ANSIBLE_INVENTORY nor ansible.cfg names sources.
const DEFAULT_INVENTORY = '/etc/ansible/hosts';

/** Runs the command without touching process state, so tests can call it directly. */
export function runInventoryCommand(options: InventoryCommandOptions, onWarning: WarningSink = () => {}, onError: WarningSink = () => {}): InventoryCommandResult {
  requireOneAction(options);
  const seen = new Set<string>();
  const warn = (message: string): void => {
    if (seen.has(message)) return;
    seen.add(message);
    onWarning(message);
  };
  let loaded: LoadedInventory;
  try {
    loaded = loadInventory(options.inventory, options.inventoryPolicy, options.cachedFacts);
  } catch (err) {
    if (err instanceof InventoryUnparsedError) showNotices(err.notices, warn, onError);
    throw err;
  }
  showNotices(loaded.notices, warn, onError);
  const show: ShowOptions = {
    vars: {
      inventoryDirs: loaded.inventoryDirs,
      playbookDirs: [options.playbookDir ?? options.cwd ?? process.cwd()],
      warn,
    },
    playbookDirGiven: options.playbookDir !== undefined,
    yaml: options.yaml ?? false,
    export: options.export ?? false,
    extraVars: loadExtraVars(options.extraVars ?? [], options.cwd ?? process.cwd()),
    cachedFacts: options.cachedFacts,
    warn,
  };
  let text: string;
  if (options.host !== undefined) text = showHost(loaded.inventory, options.host, show);
  else if (options.graph) text = showGraph(loaded.inventory, options.pattern ?? 'all', options.vars ?? false, show);
  else text = showList(loaded.inventory, show);
  if (options.output !== undefined) {
    // --output gets the text as it is; only the screen copy is newline-terminated.
    try {
      writeFileSync(options.output, text);
    } catch (cause) {
      throw new FleetError(`Unable to write to destination file (${options.output}): ${(cause as Error).message}`, { cause });
    }
    return { stdout: '' };
  }
  return { stdout: text.endsWith('\n') ? text : `${text}\n` };
}

/** InventoryCLI.post_process_args: exactly one of --list, --host and --graph, checked before anything is read. */
function requireOneAction(options: InventoryCommandOptions): void {
  const actions = [options.list, options.host !== undefined, options.graph].filter(Boolean).length;
  if (actions === 0) {
    throw new InventoryOptionError('No action selected, at least one of --host, --graph or --list needs to be specified.');
  }
  if (actions > 1) {
    throw new InventoryOptionError('Conflicting options used, only one of --host, --graph or --list can be used at the same time.');
  }
}

/** The fact cache's facts; ansible-inventory warns about a cache plugin it cannot load and goes on without. */
function inventoryFactCache(config: ResolvedConfig, warn: WarningSink): CachedFacts | undefined {
  try {
    return cachedFactsReader(factCacheFrom(config, warn), warn);
  } catch (err) {
    if (!(err instanceof CacheSettingError)) throw err;
    warn(`Unable to load the facts cache plugin (${config.get('factCaching') ?? ''}).`);
    return undefined;
  }
}

function showNotices(notices: InventoryNotice[], warn: WarningSink, error: WarningSink): void {
  for (const { level, message } of notices) (level === 'warning' ? warn : error)(message);
}

/**
 * The command line's `fleet inventory`: vault passwords from the flags and ansible.cfg, warnings
 * to stderr, ansible-inventory's exit code 5 for conflicting or missing actions.
 */
export async function inventoryAction(options: InventoryCommandOptions): Promise<void> {
  const config = loadConfig(process.cwd(), process.env);
  const warn = (message: string): void => {
    process.stderr.write(formatWarning(message));
  };
  const error = (message: string): void => {
    process.stderr.write(`${wrappedErrorText(message, WARNING_WIDTH)}\n`);
  };
  try {
    useHashBehaviour(hashBehaviourFrom(config));
  } catch (err) {
    if (!(err instanceof SettingError)) throw err;
    // ansible-inventory fails on a bad setting as ansible-playbook does (`ERROR:`, code 5).
    process.stderr.write(`ERROR: ${err.message}\n`);
    throw new CommanderError(5, 'fleet.setting', err.message);
  }
  const inventory = options.inventory.length > 0 ? options.inventory : (config.paths('inventory') ?? [DEFAULT_INVENTORY]);
  // --export is a store_true whose default is INVENTORY_EXPORT.
  const exported = options.export === true || configBool(config.get('inventoryExport'), false);
  const vault = vaultSourcesFrom(options, config, { autoPrompt: false, newPassword: false });
  let result: InventoryCommandResult;
  try {
    requireOneAction(options);
    result = await withRunVault(vault, process.cwd(), new SecretRegistry(), warn, () =>
      runInventoryCommand({ ...options, inventory, export: exported, inventoryPolicy: inventoryPolicyFrom(config), cachedFacts: inventoryFactCache(config, warn) }, warn, error),
    );
  } catch (err) {
    if (!(err instanceof InventoryOptionError)) throw err;
    process.stderr.write(`ERROR! ${err.message}\n`);
    // main.ts turns any CommanderError into EXIT.badOptions (5), ansible-inventory's code here.
    throw new CommanderError(5, 'fleet.inventory', err.message);
  }
  process.stdout.write(result.stdout);
}

// Display.warning wraps at the terminal width less one, and at 79 columns without a terminal.
const WARNING_WIDTH = 79;

/** A warning as Ansible's Display prints it: `[WARNING]: …`, wrapped with textwrap. */
export function formatWarning(message: string): string {
  const lines = wrapText(`[WARNING]: ${message}`, { width: WARNING_WIDTH, breakLongWords: true, breakOnHyphens: true });
  return `${lines.join('\n')}\n`;
}
