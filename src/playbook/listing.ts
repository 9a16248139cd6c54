import { PyDict, type PyValue } from '../template/values.js';
import { staticText } from './context.js';
import { tagsOf } from './inherit.js';
import { asList, tagList } from './lists.js';
import type { Block, Play, Playbook, Task } from './model.js';
import { fileStart } from './problems.js';
import { shouldRunTags, type TagSelection } from './tags.js';

/**
 * The text `ansible-playbook --syntax-check`, `--list-tasks`, `--list-tags` and `--list-hosts`
 * print (lib/ansible/cli/playbook.py `PlaybookCLI.run`).
 */

export interface ListingOptions extends TagSelection {
  /** `-e` vars, for the default `render`. */
  extraVars?: PyDict;
  /** The playbook path as given on the command line (Ansible prints it as given). */
  shownAs?: string;
  /**
   * Templates a value with the play's variables, as Ansible does for `hosts`, the play name
   * and task tags before listing. The default fills `{{ var }}` from extra vars and play vars.
   */
  render?: (value: PyValue, play: Play) => PyValue;
  /** `--list-hosts`: the inventory hosts a play's patterns select. */
  hostsOf?: (patterns: string[], play: Play) => string[];
}

export interface ListingParts {
  tasks?: boolean;
  tags?: boolean;
  hosts?: boolean;
}

export function syntaxCheckText(playbook: Playbook, options: ListingOptions = {}): string {
  return `\nplaybook: ${options.shownAs ?? playbook.file}\n`;
}

export function listTasksText(playbook: Playbook, options: ListingOptions = {}): string {
  return listingText(playbook, { tasks: true }, options);
}

export function listTagsText(playbook: Playbook, options: ListingOptions = {}): string {
  return listingText(playbook, { tags: true }, options);
}

/** Any combination of `--list-tasks`, `--list-tags` and `--list-hosts`, printed together as Ansible does. */
export function listingText(playbook: Playbook, show: ListingParts, options: ListingOptions = {}): string {
  const render = options.render ?? staticRender(options.extraVars ?? new PyDict());
  let text = syntaxCheckText(playbook, options);
  playbook.plays.forEach((play, index) => {
    const patterns = asList(render(play.hosts, play)).map(String);
    const hosts = patterns.join(',');
    const name = play.name ? String(render(play.name, play)) : hosts;
    // Ansible prints the play's tags as written, joined from a Python set (arbitrary order); fleet sorts.
    const playTags = tagList(play.keywords.get('tags')).map(String);
    text += `\n  play #${index + 1} (${hosts}): ${name}\tTAGS: [${[...new Set(playTags)].sort().join(',')}]`;
    if (show.hosts) {
      const selected = options.hostsOf?.(patterns, play) ?? [];
      text += `\n    pattern: [${patterns.map((p) => `'${p}'`).join(', ')}]\n    hosts (${selected.length}):`;
      text += selected.map((host) => `\n      ${host}`).join('');
    }
    text += '\n';
    if (!show.tasks && !show.tags) return;

    let body = show.tasks ? '    tasks:\n' : '';
    const allTags = new Set<string>();
    for (const section of [play.preTasks, play.roles, play.tasks, play.postTasks]) {
      for (const task of listedTasks(section)) {
        const taskTags = new Set(tagsOf(task).flatMap((tag) => asList(render(tag, play))).map(String));
        if (!shouldRunTags(taskTags, options)) continue;
        taskTags.forEach((tag) => allTags.add(tag));
        if (show.tasks) body += `      ${taskTitle(task)}\tTAGS: [${[...new Set([...playTags, ...taskTags])].sort().join(', ')}]\n`;
      }
    }
    if (show.tags) body += `      TASK TAGS: [${[...new Set([...playTags, ...allTags])].sort().join(', ')}]\n`;
    // Display.display adds a newline only to text that does not end with one.
    text += body.endsWith('\n') ? body : `${body}\n`;
  });
  return text;
}

/** Tasks as the listing walks them: each block's main list only, not rescue/always. */
function listedTasks(block: Block): Task[] {
  return block.block.flatMap((node) => (node.kind === 'block' ? listedTasks(node) : [node]));
}

/**
 * task.py `get_name` for named tasks (`role : name`; role_include.py's own `get_name` leaves
 * the role out for include_role), otherwise the action as written.
 */
function taskTitle(task: Task): string {
  if (!task.name) return task.actionAs;
  return task.role && task.action !== 'include_role' ? `${task.role.name} : ${task.name}` : task.name;
}

/** Fills `{{ var }}` from extra vars and the play's vars; anything else stays as written. */
function staticRender(extraVars: PyDict): (value: PyValue, play: Play) => PyValue {
  return (value, play) => {
    if (typeof value !== 'string') return value;
    try {
      return staticText(value, 'value', [extraVars, play.vars], fileStart(play.file));
    } catch {
      return value;
    }
  };
}
