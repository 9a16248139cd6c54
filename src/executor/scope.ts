import { randomUUID } from 'node:crypto';
import { basename, dirname } from 'node:path';
import { hostsOfGroup } from '../inventory/index.js';
import { environmentOf, inherited, varsChain } from '../playbook/inherit.js';
import type { Block, Play, RoleInstance, Task } from '../playbook/model.js';
import { allDependencies } from '../playbook/roles.js';
import { OMIT, Templar } from '../template/index.js';
import { PyDict, type PyKey, type PyValue } from '../template/values.js';
import { combineVars } from '../vars/combine.js';
import { VariableScope, type Layer } from '../vars/scope.js';
import { ScopeDict } from '../vars/scope_dict.js';
import { CONTROLLER_PYTHON } from '../inventory/model.js';
import type { PlayContext, RunContext } from './context.js';
import type { HostState } from './host_state.js';
import { searchPaths } from './file_search.js';

const ANSIBLE_VERSION = new PyDict([
  ['full', '2.14.18'],
  ['major', 2],
  ['minor', 14],
  ['revision', 18],
  ['string', '2.14.18'],
] as [PyKey, PyValue][]);

/** A role and the roles that pulled it in as a dependency, outermost first. */
function roleChain(role: RoleInstance | null): RoleInstance[] {
  const chain: RoleInstance[] = [];
  for (let current = role; current; current = current.parentRole) chain.unshift(current);
  return chain;
}

/** Names once each, first seen first (Ansible builds these lists from a set, in no set order). */
function uniqueNames(roles: RoleInstance[]): string[] {
  return [...new Set(roles.map((role) => role.name))];
}

/** Dicts combined left to right (later ones win), as Role.get_default_vars/get_vars/get_role_params do. */
function merged(dicts: PyDict[]): PyDict {
  return dicts.reduce<PyDict>((out, dict) => combineVars(out, dict), new PyDict());
}

function dictKeyword(value: PyValue | undefined): PyDict {
  return value instanceof PyDict ? value : new PyDict();
}

const groupsCache = new WeakMap<RunContext, PyDict>();

/** Drops the run's `groups` once group membership changed (InventoryData's _groups_dict_cache). */
export function forgetGroupsVar(run: RunContext): void {
  groupsCache.delete(run);
}

/** `groups`: every group's hosts, as Ansible's magic variable lists them. */
function groupsVar(run: RunContext): PyDict {
  let groups = groupsCache.get(run);
  if (!groups) {
    groups = new PyDict();
    for (const [name] of run.inventory.groups) groups.set(name, hostsOfGroup(run.inventory, name).map((host) => host.name));
    groupsCache.set(run, groups);
  }
  return groups;
}

/**
 * `hostvars`: each host's variables, computed when a template asks for them so a play
 * never pays for hosts it does not look at.
 */
/** Layers only a play adds to a host's variables. */
const PLAY_LAYERS: ReadonlySet<Layer['name']> = new Set(['role_defaults', 'play_vars', 'play_vars_files', 'role_vars', 'role_params']);

/** Magic variables `_get_magic_variables` sets only when given a play. */
const PLAY_MAGIC = ['ansible_play_name', 'ansible_play_role_names', 'ansible_role_names', 'ansible_dependent_role_names', 'role_names', 'play_hosts', 'ansible_play_batch', 'ansible_play_hosts', 'ansible_play_hosts_all'];

/**
 * One host's `hostvars[h]` (HostVarsVars): a value is templated when read, with that host's
 * own variables, and a template naming one it lacks is left as written (fail_on_undefined=False).
 */
class HostVarsVars extends PyDict {
  constructor(
    private readonly raw: PyDict,
    private readonly templar: Templar,
  ) {
    super();
  }

  override get(key: PyKey): PyValue | undefined {
    const value = this.raw.get(key);
    return value === undefined ? undefined : this.templar.template(value, { failOnUndefined: false });
  }

  override has(key: PyKey): boolean {
    return this.raw.has(key);
  }

  override get size(): number {
    return this.raw.size;
  }

  override keys(): MapIterator<PyKey> {
    return this.raw.keys();
  }

  override *entries(): MapIterator<[PyKey, PyValue]> {
    for (const key of this.raw.keys()) yield [key, this.get(key) as PyValue];
  }

  override *values(): MapIterator<PyValue> {
    for (const [, value] of this.entries()) yield value;
  }

  override [Symbol.iterator](): MapIterator<[PyKey, PyValue]> {
    return this.entries();
  }
}

class HostVarsView extends PyDict {
  constructor(private readonly play: PlayContext) {
    super();
  }

  /**
   * One host's variables as HostVars.raw_get has them: VariableManager.get_vars with neither a
   * play nor `hostvars` itself, so no play or role variables and no play magic.
   */
  private view(name: string): PyDict | undefined {
    const host = this.play.run.stateOf(name);
    if (!host) return undefined;
    const layers = hostLayers(this.play, host, null).filter((layer) => !PLAY_LAYERS.has(layer.name));
    const scope = new VariableScope(layers);
    const vars = scope.flatten(new PyDict());
    for (const name of ['hostvars', 'vars', ...PLAY_MAGIC]) vars.delete(name);
    return new HostVarsVars(vars, new Templar({ vars: scope }));
  }

  private names(): string[] {
    return [...this.play.run.inventory.hosts.keys()];
  }

  override get(key: PyKey): PyValue | undefined {
    return typeof key === 'string' ? this.view(key) : undefined;
  }

  override has(key: PyKey): boolean {
    return typeof key === 'string' && this.play.run.stateOf(key) !== undefined;
  }

  override get size(): number {
    return this.names().length;
  }

  override keys(): MapIterator<PyKey> {
    return this.names()[Symbol.iterator]();
  }

  override *entries(): MapIterator<[PyKey, PyValue]> {
    for (const name of this.names()) yield [name, this.view(name) as PyDict];
  }

  override [Symbol.iterator](): MapIterator<[PyKey, PyValue]> {
    return this.entries();
  }
}

function activeHosts(play: PlayContext, names: string[]): string[] {
  return names.filter((name) => {
    const host = play.run.hosts.get(name);
    return host !== undefined && !host.failed && !host.unreachable && !play.removedHosts.has(name);
  });
}

const roleUuids = new WeakMap<RoleInstance, string>();

/** Role._uuid, made once per role instance. */
function roleUuid(role: RoleInstance): string {
  let uuid = roleUuids.get(role);
  if (!uuid) roleUuids.set(role, (uuid = randomUUID()));
  return uuid;
}

/** VariableManager._get_magic_variables, in its order (the order `vars.keys()` lists them in). */
function magicVars(play: PlayContext, task: Task | null): PyDict {
  const { run } = play;
  const role = task?.role ?? null;
  const playRoles = play.play.listedRoles;
  const dependencies = playRoles.flatMap(allDependencies);
  const playRoleNames = playRoles.map((instance) => instance.name);
  const magic = new PyDict([
    ['playbook_dir', dirname(play.play.file)],
    ['ansible_playbook_python', CONTROLLER_PYTHON],
    ['ansible_config_file', run.options.configFile ?? null],
    ['ansible_role_names', uniqueNames([...dependencies, ...playRoles])],
    ['ansible_play_role_names', playRoleNames],
    ['ansible_dependent_role_names', uniqueNames(dependencies)],
    ['role_names', playRoleNames],
    ['ansible_play_name', play.name],
  ] as [PyKey, PyValue][]);
  if (role) {
    magic.set('role_name', role.name);
    magic.set('role_path', role.path);
    magic.set('role_uuid', roleUuid(role));
    // fleet loads roles from role paths only, never from a collection
    magic.set('ansible_collection_name', null);
    magic.set('ansible_role_name', role.name);
  }
  magic.set('groups', groupsVar(run));
  magic.set('ansible_play_hosts_all', play.allHosts);
  magic.set('ansible_play_hosts', activeHosts(play, play.allHosts));
  magic.set('ansible_play_batch', activeHosts(play, play.batch));
  magic.set('play_hosts', activeHosts(play, play.batch));
  magic.set('omit', OMIT);
  // load_options_vars: the command line's options
  magic.set('ansible_version', ANSIBLE_VERSION);
  magic.set('ansible_check_mode', run.options.check);
  magic.set('ansible_diff_mode', run.options.diff);
  magic.set('ansible_forks', run.options.forks);
  magic.set('ansible_inventory_sources', run.inventorySources);
  magic.set('ansible_skip_tags', run.options.skipTags);
  if (run.options.limit !== undefined) magic.set('ansible_limit', run.options.limit);
  magic.set('ansible_run_tags', run.options.tags.length > 0 ? run.options.tags : ['all']);
  magic.set('ansible_verbosity', run.options.verbosity);
  magic.set('hostvars', new HostVarsView(play));
  // The task's keyword as written, over any variable of that name (VariableManager.get_vars).
  if (task) magic.set('environment', environmentOf(task));
  return magic;
}

/**
 * Task.get_include_params: the `vars` of the includes a task was loaded by, outermost first;
 * then what IncludeRole.get_include_params adds for the tasks under an import_role or
 * include_role written in a role: the roles that imported or included them, innermost first.
 */
function includeParams(parent: Block | null): PyDict {
  const roles: RoleInstance[] = [];
  const includeVars: PyValue[] = [];
  for (let block = parent; block; block = block.parent) {
    if (block.includedFromRole) roles.push(block.includedFromRole);
    if (block.includeParams !== undefined) includeVars.unshift(block.includeParams);
  }
  const params = new PyDict();
  for (const value of includeVars) {
    for (const dict of Array.isArray(value) ? value : [value]) if (dict instanceof PyDict) for (const [k, v] of dict) params.set(k, v);
  }
  if (roles.length === 0) return params;
  params.set('ansible_parent_role_names', roles.map((role) => role.name));
  params.set('ansible_parent_role_paths', roles.map((role) => role.path));
  return params;
}

/** The connection variables PlayContext.update_vars adds for a task: its `connection:` keyword, else `-c`, else ssh; the host's address. */
function playContextVars(host: HostState, task: Task, cliConnection: string | undefined): PyDict {
  return new PyDict([
    ['ansible_connection', inherited(task, 'connection') ?? cliConnection ?? 'ssh'],
    ['ansible_host', host.name],
  ]);
}

/**
 * A host's variables for a task (or for the play when `task` is null), layered in
 * Ansible's precedence order (src/vars/precedence.ts).
 */
export function hostScope(play: PlayContext, host: HostState, task: Task | null, extra: Layer[] = []): VariableScope {
  return new VariableScope([...hostLayers(play, host, task), ...extra]);
}

export interface RoleLayers {
  defaults: PyDict;
  vars: PyDict;
  params: PyDict;
}

// A play's roles and their defaults and vars change only when a public include_role adds one,
// so these layers are the same for every host and task of one role (or of none): merged once
// per set of play roles, not per host and task.
const roleLayersByPlay = new WeakMap<Play, { roleCount: number; byRole: Map<RoleInstance | null, RoleLayers>; privateByRole: Map<RoleInstance | null, RoleLayers> }>();

/**
 * Role.get_vars(dep_chain) for a task in `role` (the last of `chain`): the vars of the roles
 * that pulled it in, then its dependencies', then its own.
 */
function ownRoleVars(chain: RoleInstance[]): PyDict {
  const role = chain.at(-1);
  return role ? merged([...chain.slice(0, -1), ...allDependencies(role), role].map((each) => each.vars)) : new PyDict();
}

/**
 * The role_defaults, role_vars and role_params layers of a play's tasks in `role`. Every play
 * role's defaults are every task's; so are their vars unless `privateVars`
 * (DEFAULT_PRIVATE_ROLE_VARS), when a task sees only its own role's (VariableManager.get_vars).
 */
export function roleLayers(play: Play, role: RoleInstance | null, privateVars = false): RoleLayers {
  let cached = roleLayersByPlay.get(play);
  if (!cached || cached.roleCount !== play.roleInstances.length) {
    roleLayersByPlay.set(play, (cached = { roleCount: play.roleInstances.length, byRole: new Map(), privateByRole: new Map() }));
  }
  const byRole = privateVars ? cached.privateByRole : cached.byRole;
  let layers = byRole.get(role);
  if (!layers) {
    const chain = roleChain(role);
    const roles = [...play.roleInstances, ...chain];
    const vars = privateVars ? ownRoleVars(chain) : merged(roles.map((each) => each.vars));
    layers = { defaults: merged(roles.map((each) => each.defaults)), vars, params: merged(chain.map((each) => each.params)) };
    byRole.set(role, layers);
  }
  return layers;
}

function hostLayers(play: PlayContext, host: HostState, task: Task | null): Layer[] {
  const roles = roleLayers(play.play, task?.role ?? null, play.run.options.privateRoleVars === true);
  const layers: Layer[] = [
    { name: 'role_defaults', vars: roles.defaults },
    { name: 'inventory', vars: host.inventoryVars },
    { name: 'facts', vars: host.factsVars() },
    { name: 'play_vars', vars: play.play.vars },
    { name: 'play_vars_files', vars: play.varsFiles.get(host.name) ?? new PyDict() },
    { name: 'role_vars', vars: roles.vars },
    { name: 'include_vars', vars: host.includeVars },
    { name: 'set_facts', vars: host.setFacts },
    { name: 'role_params', vars: roles.params },
    { name: 'include_params', vars: includeParams(task?.parent ?? null) },
    { name: 'extra_vars', vars: play.run.extraVars },
    { name: 'magic', vars: magicVars(play, task) },
  ];
  if (task) {
    layers.push({ name: 'play_context', vars: playContextVars(host, task, play.run.connectionDefaults.connection) });
    for (const vars of varsChain(task.parent)) layers.push({ name: 'block_vars', vars });
    layers.push({ name: 'task_vars', vars: dictKeyword(task.keywords.get('vars')) });
  }
  // What get_vars returns is copied into `vars` before PlayContext adds its connection variables.
  const copied = layers.filter((layer) => layer.name !== 'play_context');
  const allVars = new PyDict([['vars', new ScopeDict(() => new VariableScope(copied))]]);
  // TaskExecutor._get_loop_items sets it for every task, loop or not
  if (task) allVars.set('ansible_search_path', searchPaths(task.role, task.at.file, play.play.file));
  layers.push({ name: 'all_vars', vars: allVars });
  return layers;
}

/** The directory a task's relative paths start from (its role, else the playbook's). */
export function taskBasedir(play: PlayContext, task: Task | null): string {
  return task?.role?.path ?? dirname(play.play.file);
}

export function playbookName(play: PlayContext): string {
  return basename(play.play.file);
}
