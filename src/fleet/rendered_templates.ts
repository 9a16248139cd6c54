import { readFileSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { findNeedle } from '../executor/file_search.js';
import { hostsOfGroup, hostVarsFromInventory, HostSelector, type Host } from '../inventory/index.js';
import type { Play, Task } from '../playbook/model.js';
import { OMIT, pyStr, Templar, type VariableSource } from '../template/index.js';
import { PyDict, type PyKey, type PyValue } from '../template/values.js';
import { VariableScope, type Layer } from '../vars/scope.js';
import { RenderMemo } from './render_memo.js';
import { tasksOf } from './run_files.js';
import type { FleetRunInput } from './run_input.js';
import { roleLayers } from '../executor/scope.js';

export interface RenderedTemplate {
  /** The template file. */
  source: string;
  host: string;
  text: string;
}

export interface RenderedTemplates {
  rendered: RenderedTemplate[];
  /** `template.j2 for host: why`, for templates that need what only the host knows (facts, registered results, loop items). */
  skipped: string[];
}

/**
 * Renders, per targeted host, each `template:` task's src the way the run would, from what
 * is known before contact: inventory and group/host vars, role defaults and vars, play vars,
 * extra vars and the magic variables that need no host. A template that uses facts,
 * registered results or loop items fails to render here and is listed in `skipped`; its
 * source text is still scanned (run_files). Hosts whose variables agree on everything a
 * task's render read share that render (RenderMemo).
 */
export function renderedTemplates(run: FleetRunInput): RenderedTemplates {
  const result: RenderedTemplates = { rendered: [], skipped: [] };
  const selector = new HostSelector(run.inventory.inventory, () => undefined);
  // Only the hosts the run targets: rendering for the whole inventory grew with its size.
  selector.setLimit(run.limit);
  const templateFiles: TemplateFiles = { paths: new Map(), texts: new Map() };
  const groups = groupsVar(run);
  for (const play of run.playbooks.flatMap((playbook) => playbook.plays)) {
    const templateTasks = tasksOf(play)
      .filter((task) => task.action === 'template')
      .map((task): TemplateTask => ({ task, layers: taskLayers(run, play, task), memo: new RenderMemo() }));
    if (templateTasks.length === 0) continue;
    for (const host of playHosts(run, play, selector)) {
      let inventoryVars: PyDict;
      try {
        inventoryVars = hostVarsFromInventory(run.inventory.inventory, host, { inventoryDirs: run.inventory.inventoryDirs, playbookDirs: [dirname(play.file)] });
      } catch (error) {
        // A vars file that does not parse is reported by whoever reads it as a file; its host's templates cannot render.
        result.skipped.push(`templates for ${host.name}: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
      for (const each of templateTasks) {
        const vars = new VariableScope([...each.layers, { name: 'inventory', vars: inventoryVars }, { name: 'magic', vars: magicVars(run, play, each.task, groups) }]);
        const outcome = each.memo.find(vars) ?? each.memo.record(vars, (recording) => renderOne(play, each.task, recording, templateFiles));
        if ('text' in outcome) result.rendered.push({ source: outcome.source, host: host.name, text: outcome.text });
        else result.skipped.push(`${outcome.source} for ${host.name}: ${outcome.error}`);
      }
    }
  }
  return result;
}

/** A template task with the variable layers every host shares and the renders hosts may share. */
interface TemplateTask {
  task: Task;
  layers: Layer[];
  memo: RenderMemo<RenderOutcome>;
}

/** The template file a task's src names and its text rendered, or why it could not be. */
type RenderOutcome = { source: string; text: string } | { source: string; error: string };

/** Template files looked up and read once for every host rendering them: real paths by task and templated src, texts by real path. */
interface TemplateFiles {
  paths: Map<Task, Map<string, string>>;
  texts: Map<string, string>;
}

/** The real path of the file a task's templated `src` names. */
function templatePath(files: TemplateFiles, task: Task, play: Play, source: string): string {
  let bySource = files.paths.get(task);
  if (!bySource) files.paths.set(task, (bySource = new Map()));
  let file = bySource.get(source);
  if (file === undefined) {
    const found = findNeedle('templates', source, task.role, play.file);
    if (!found) throw new Error('template not found');
    file = realpathSync(found);
    bySource.set(source, file);
  }
  return file;
}

function templateText(files: TemplateFiles, file: string): string {
  let text = files.texts.get(file);
  if (text === undefined) files.texts.set(file, (text = readFileSync(file, 'utf8')));
  return text;
}

function playHosts(run: FleetRunInput, play: Play, selector: HostSelector): Host[] {
  const pattern = new Templar({ vars: new PyDict([...play.vars, ...run.extraVars]) }).template(play.hosts);
  const names = (Array.isArray(pattern) ? pattern : [pattern]).map((value) => pyStr(value));
  return selector.getHosts(names);
}

/** The layers of a task's variables that are the same for every host: all but the inventory's and the magic ones. */
function taskLayers(run: FleetRunInput, play: Play, task: Task): Layer[] {
  const roles = roleLayers(play, task.role);
  return [
    { name: 'role_defaults', vars: roles.defaults },
    { name: 'play_vars', vars: play.vars },
    { name: 'role_vars', vars: roles.vars },
    { name: 'role_params', vars: roles.params },
    { name: 'extra_vars', vars: run.extraVars },
  ];
}

function renderOne(play: Play, task: Task, vars: VariableSource, templateFiles: TemplateFiles): RenderOutcome {
  const templar = new Templar({ vars });
  let source = '(unknown)';
  try {
    source = pyStr(templar.template(task.args.get('src') ?? null));
    source = templatePath(templateFiles, task, play, source);
    return { source, text: templar.renderFile(templateText(templateFiles, source), { source: task.at }) };
  } catch (error) {
    return { source, error: (error as Error).message.split('\n')[0] ?? '' };
  }
}

/** `groups`: the inventory's groups and their hosts, one dict for every host's renders. */
function groupsVar(run: FleetRunInput): PyDict {
  const groups = new PyDict();
  for (const name of run.inventory.inventory.groups.keys()) groups.set(name, hostsOfGroup(run.inventory.inventory, name).map((each) => each.name));
  return groups;
}

function magicVars(run: FleetRunInput, play: Play, task: Task, groups: PyDict): PyDict {
  const magic = new PyDict([
    ['groups', groups],
    ['playbook_dir', dirname(resolve(run.cwd, play.file))],
    ['omit', OMIT],
  ] as [PyKey, PyValue][]);
  if (task.role) {
    magic.set('role_name', task.role.name);
    magic.set('role_path', task.role.path);
  }
  return magic;
}
