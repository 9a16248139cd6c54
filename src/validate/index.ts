import { existsSync } from 'node:fs';
import { dirname, extname, resolve, sep } from 'node:path';
import { loadConfig } from '../config/ansible_cfg.js';
import { rolesPathFrom } from '../config/roles_path.js';
import { ValidationError, type SourceLocation } from '../errors.js';
import { loadExtraVars } from '../executor/extra_vars.js';
import { checkFleet } from '../fleet/index.js';
import { loadBannedPolicy } from '../fleet/policy.js';
import { tasksOf } from '../fleet/run_files.js';
import { loadInventory, unparsedReason, type LoadedInventory } from '../inventory/index.js';
import { loadPlaybook } from '../playbook/load.js';
import type { Playbook } from '../playbook/model.js';
import { PyDict, type PyValue } from '../template/values.js';
import { loadYamlFile, type LoadedYaml } from '../yaml/load.js';
import { definedNames, type LoadedDocument } from './defined_names.js';
import { checkModuleArgs } from './module_args.js';
import { Problems, type Problem } from './problems.js';
import { enclosingProject, validationTargets, type ValidationTargets } from './project.js';
import { templateTexts } from './template_texts.js';
import { loadUnreachedRoles } from './unreached_roles.js';
import { TemplateChecker } from './templates.js';

export { formatProblem, type Problem } from './problems.js';

export interface ValidateOptions {
  /** Files and directories to check; none: the project in `cwd`. */
  paths: string[];
  cwd: string;
  /** `-i` sources beyond a project's own inventory. */
  inventory: string[];
  /** `-e` values: names they define are not undefined. */
  extraVars: string[];
  env: NodeJS.ProcessEnv;
}

export interface ValidateResult {
  problems: Problem[];
  /** How many files were checked. */
  files: number;
}

const start = (file: string): SourceLocation => ({ file, line: 1, col: 1 });
const VARS_DIRS = ['group_vars', 'host_vars', 'vars', 'defaults'];
const NOT_TASKS_DIRS = [...VARS_DIRS, 'inventory', 'meta', 'files'];
const under = (file: string, dirs: string[]) => file.split(sep).slice(0, -1).some((dir) => dirs.includes(dir));

/**
 * Everything checkable without a host, every problem collected (a loader's first error per
 * file, then the next file): YAML syntax, the banned-provider policy file, inventories,
 * playbooks with their roles and task files (keywords, modules), module arguments that are
 * not templated, the golden-state schema and banned providers (src/fleet), template syntax
 * of templated strings and template files, and names no part of the project defines.
 */
export function validateProject(options: ValidateOptions): ValidateResult {
  const problems = new Problems();
  const targets = validationTargets(options.paths, options.cwd, options.inventory);
  for (const path of options.paths.map((each) => resolve(options.cwd, each))) if (!existsSync(path)) problems.add(start(path), 'no such file or directory');
  let extraVars = new PyDict();
  problems.collect(start('<extra vars>'), () => (extraVars = loadExtraVars(options.extraVars, options.cwd)));

  const loaded = new Map<string, LoadedYaml>();
  for (const file of targets.yamlFiles) problems.collect(start(file), () => loaded.set(file, loadYamlFile(file)));
  for (const file of targets.policyFiles) problems.collect(start(file), () => loadBannedPolicy(file));
  const inventories: LoadedInventory[] = [];
  for (const source of targets.inventories) {
    problems.collect(start(source), () => {
      const inventory = loadInventory([source]);
      inventories.push(inventory);
      for (const unparsed of inventory.unparsed) problems.addError(unparsedReason(unparsed) ?? new ValidationError('no inventory file in this directory could be parsed'), start(unparsed.source));
    });
  }

  const playbooks = loadPlaybooks(targets, loaded, extraVars, options, problems);
  const standIns = loadUnreachedRoles(targets.yamlFiles, playbooks, extraVars, problems);
  for (const task of [...playbooks, ...standIns].flatMap((playbook) => playbook.plays.flatMap(tasksOf))) checkModuleArgs(task, problems);
  fleetChecks(targets, loaded, playbooks, inventories, extraVars, options, problems);

  const documents: LoadedDocument[] = [];
  const templates = new TemplateChecker(problems);
  for (const [file, yaml] of loaded) {
    const isVars = under(file, VARS_DIRS);
    for (const document of yaml.documents) {
      documents.push({ file, document, isVars: isVars || (document instanceof PyDict && !under(file, NOT_TASKS_DIRS) && !isPlaybookData(document)) });
      // JSON is data (vars, inventories), never a task list.
      for (const text of templateTexts(document, file, !under(file, NOT_TASKS_DIRS) && extname(file) !== '.json')) templates.checkText(text);
    }
  }
  for (const file of targets.templateFiles) templates.checkFile(file);
  const context = enclosingProjects(targets, options);
  const known = definedNames([...documents, ...context.documents], [...inventories, ...context.inventories].map((each) => each.inventory), extraVars);
  templates.reportUndefined(known);
  return { problems: problems.list(), files: targets.yamlFiles.length + targets.templateFiles.length + targets.policyFiles.length };
}

/**
 * The projects that paths checked file by file belong to, read only for the names they
 * define (a role checked alone uses its project's group_vars); their problems are not reported.
 */
function enclosingProjects(targets: ValidationTargets, options: ValidateOptions): { documents: LoadedDocument[]; inventories: LoadedInventory[] } {
  const paths = options.paths.length > 0 ? options.paths.map((path) => resolve(options.cwd, path)) : [options.cwd];
  const roots = new Set(paths.map(enclosingProject).filter((root): root is string => root !== undefined && !targets.roots.includes(root)));
  const context = validationTargets([...roots], options.cwd, []);
  const documents: LoadedDocument[] = [];
  const inventories: LoadedInventory[] = [];
  const quietly = (read: () => void) => {
    try {
      read();
    } catch {
      // Reported when that project is validated itself.
    }
  };
  for (const file of context.yamlFiles) quietly(() => documents.push(...loadYamlFile(file).documents.map((document) => ({ file, document, isVars: under(file, VARS_DIRS) }))));
  for (const source of context.inventories) quietly(() => inventories.push(loadInventory([source])));
  return { documents, inventories };
}

/** A list of plays: mappings with `hosts` or `import_playbook`. */
function isPlaybookData(document: PyValue | undefined): boolean {
  return Array.isArray(document) && document.length > 0 && document.every((entry) => entry instanceof PyDict && [...entry.keys()].some((key) => key === 'hosts' || String(key).endsWith('import_playbook')));
}

function importsPlaybooks(yaml: LoadedYaml | undefined): boolean {
  const document = yaml?.documents[0];
  return Array.isArray(document) && document.some((entry) => entry instanceof PyDict && [...entry.keys()].some((key) => String(key).endsWith('import_playbook')));
}

function loadPlaybooks(targets: ValidationTargets, loaded: Map<string, LoadedYaml>, extraVars: PyDict, options: ValidateOptions, problems: Problems): Playbook[] {
  const rolesPath = rolesPathFrom(loadConfig(options.cwd, options.env), options.cwd);
  const candidates = targets.playbookCandidates.filter((file) => isPlaybookData(loaded.get(file)?.documents[0]));
  // A playbook whose YAML does not parse was reported already. Importing playbooks load
  // first, so a playbook they import (site.yml's) is not loaded a second time.
  const files = [...targets.playbooks, ...candidates].filter((file) => loaded.has(file)).sort((a, b) => Number(importsPlaybooks(loaded.get(b))) - Number(importsPlaybooks(loaded.get(a))));
  const playbooks: Playbook[] = [];
  const loadedPlays = new Set<string>();
  for (const file of files) {
    if (loadedPlays.has(file)) continue;
    problems.collect(start(file), () => {
      const playbook = loadPlaybook(file, { rolesPath, extraVars });
      playbooks.push(playbook);
      for (const play of playbook.plays) loadedPlays.add(play.file);
    });
  }
  return playbooks;
}

/** The golden-state schema and banned-provider policy (src/fleet) per project, with its inventory and playbooks. */
function fleetChecks(targets: ValidationTargets, loaded: Map<string, LoadedYaml>, playbooks: Playbook[], inventories: LoadedInventory[], extraVars: PyDict, options: ValidateOptions, problems: Problems): void {
  const groups = targets.roots.length > 0 ? targets.roots : [options.cwd];
  for (const root of groups) {
    const inRoot = (file: string) => targets.roots.length === 0 || file.startsWith(`${root}${sep}`);
    const sources = targets.inventories.filter(inRoot);
    const inventory = inventories.find((each) => each.inventoryDirs.some((dir) => inRoot(resolve(dir, 'x')))) ?? loadInventory([]);
    const run = { inventory, inventorySources: sources, playbooks: playbooks.filter((playbook) => inRoot(playbook.file)), extraVars, extraVarsArgs: options.extraVars, cwd: root };
    problems.collect(start(root), () => {
      for (const error of checkFleet(run, loaded)) problems.addError(error, start(dirname(root)));
    });
  }
}
