import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { Block, Node, Play, RoleInstance, Task } from '../playbook/model.js';
import { findNeedle } from '../executor/file_search.js';
import type { FleetRunInput } from './run_input.js';

/** The files a run reads its data from, split by how they are scanned. */
export interface RunFiles {
  /** Parsed and scanned value by value (comments are not values). */
  yaml: Set<string>;
  /** Scanned line by line: templates, files a role copies, INI inventories. */
  text: Set<string>;
}

const YAML_EXTS = new Set(['.yml', '.yaml', '.json']);
const ROLE_YAML_DIRS = ['defaults', 'vars', 'tasks', 'handlers', 'meta'];
const ROLE_TEXT_DIRS = ['templates', 'files'];

/**
 * Every file a run takes values from: inventory sources, group_vars/host_vars next to the
 * inventories and the playbooks, `-e @file`s, the playbooks and the task files they load,
 * every file of the roles they use, and vars_files/include_vars files named without a
 * template. `exclude` (the policy file itself) is left out.
 */
export function runFiles(run: FleetRunInput, exclude: string): RunFiles {
  const files = inventoryFiles(run, exclude);
  const add = adder(run, exclude, files);
  for (const arg of run.extraVarsArgs) if (arg.startsWith('@')) add(arg.slice(1), 'yaml');
  for (const play of run.playbooks.flatMap((playbook) => playbook.plays)) {
    add(play.file, 'yaml');
    for (const entry of play.varsFiles) if (typeof entry === 'string' && !entry.includes('{{')) add(resolve(dirname(play.file), entry), 'yaml');
    for (const role of rolesOf(play)) {
      for (const dir of ROLE_YAML_DIRS) for (const file of walk(join(role.path, dir), false)) add(file, 'yaml');
      for (const dir of ROLE_TEXT_DIRS) for (const file of walk(join(role.path, dir), false)) add(file, 'text');
    }
    for (const task of tasksOf(play)) {
      add(task.at.file, 'yaml');
      const varsFile = includeVarsFile(task);
      const found = varsFile ? findNeedle('vars', varsFile, task.role, play.file) : null;
      if (found) add(found, 'yaml');
    }
  }
  return files;
}

/** The files host variables come from: the inventory sources, and group_vars/host_vars next to the inventories and the playbooks. */
export function inventoryFiles(run: FleetRunInput, exclude: string): RunFiles {
  const files: RunFiles = { yaml: new Set(), text: new Set() };
  const add = adder(run, exclude, files);
  for (const source of run.inventorySources) {
    const path = resolve(run.cwd, source);
    if (existsSync(path)) for (const file of walk(path, true)) add(file, YAML_EXTS.has(extname(file)) ? 'yaml' : 'text');
  }
  const playbookDirs = run.playbooks.map((playbook) => dirname(resolve(run.cwd, playbook.file)));
  for (const dir of new Set([...run.inventory.inventoryDirs.map((d) => resolve(run.cwd, d)), ...playbookDirs])) {
    for (const kind of ['group_vars', 'host_vars']) for (const file of walk(join(dir, kind), false)) add(file, 'yaml');
  }
  return files;
}

/** Adds an existing file to `files` by its real path, so content reached through the group_vars/roles symlinks is scanned once, named as it is. */
function adder(run: FleetRunInput, exclude: string, files: RunFiles): (file: string, kind: keyof RunFiles) => void {
  return (file, kind) => {
    const path = resolve(run.cwd, file);
    if (!existsSync(path)) return;
    const real = realpathSync(path);
    if (real !== exclude) files[kind].add(real);
  };
}

/** A play's roles with their dependencies. */
function rolesOf(play: Play): RoleInstance[] {
  const seen = new Set<RoleInstance>();
  const visit = (role: RoleInstance) => {
    if (seen.has(role)) return;
    seen.add(role);
    role.dependencies.forEach(visit);
  };
  play.roleInstances.forEach(visit);
  return [...seen];
}

/** Every task and handler of a play, blocks flattened. */
export function tasksOf(play: Play): Task[] {
  const out: Task[] = [];
  const visit = (node: Node) => {
    if (node.kind === 'task') out.push(node);
    else [...node.block, ...node.rescue, ...node.always].forEach(visit);
  };
  const sections: Block[] = [play.preTasks, play.roles, play.tasks, play.postTasks];
  sections.forEach(visit);
  out.push(...play.handlers);
  return out;
}

function includeVarsFile(task: Task): string | undefined {
  if (task.action !== 'include_vars') return undefined;
  const file = task.args.get('file') ?? task.args.get('_raw_params');
  return typeof file === 'string' && !file.includes('{{') ? file : undefined;
}

/** Files under a path (itself when a file); hidden entries skipped, as Ansible's loaders skip them. */
function walk(path: string, isInventory: boolean): string[] {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .filter((name) => !name.startsWith('.') && !name.endsWith('~') && !(isInventory && (name === 'group_vars' || name === 'host_vars')))
    .flatMap((name) => walk(join(path, name), isInventory));
}
