import { PyDict } from '../template/values.js';
import { staticText } from './context.js';
import { tagsOf } from './inherit.js';
import { tagList } from './lists.js';
import type { Block, Play, Playbook, Task } from './model.js';
import { fileStart } from './problems.js';
import { shouldRun, type TagSelection } from './tags.js';

/**
 * The text `ansible-playbook --syntax-check`, `--list-tasks` and `--list-tags` print
 * (lib/ansible/cli/playbook.py `PlaybookCLI.run`).
 */

export interface ListingOptions extends TagSelection {
  /** `-e` vars, used to show templated `hosts:` as Ansible does after templating. */
  extraVars?: PyDict;
  /** The playbook path as given on the command line (Ansible prints it as given). */
  shownAs?: string;
}

export function syntaxCheckText(playbook: Playbook, options: ListingOptions = {}): string {
  return `\nplaybook: ${options.shownAs ?? playbook.file}\n`;
}

export function listTasksText(playbook: Playbook, options: ListingOptions = {}): string {
  return listing(playbook, options, { tasks: true, tags: false });
}

export function listTagsText(playbook: Playbook, options: ListingOptions = {}): string {
  return listing(playbook, options, { tasks: false, tags: true });
}

function listing(playbook: Playbook, options: ListingOptions, show: { tasks: boolean; tags: boolean }): string {
  let text = syntaxCheckText(playbook, options);
  playbook.plays.forEach((play, index) => {
    const hosts = hostList(play, options.extraVars ?? new PyDict());
    const playTags = tagList(play.keywords.get('tags')).map(String);
    // Ansible joins a Python set here, whose order is arbitrary; fleet sorts.
    text += `\n  play #${index + 1} (${hosts}): ${play.name || hosts}\tTAGS: [${[...new Set(playTags)].sort().join(',')}]\n`;
    const listed = [play.preTasks, play.roles, play.tasks, play.postTasks].flatMap((section) => listedTasks(section, options));
    let body = show.tasks ? '    tasks:\n' : '';
    const allTags = new Set<string>();
    for (const task of listed) {
      const taskTags = tagsOf(task).map(String);
      taskTags.forEach((tag) => allTags.add(tag));
      if (show.tasks) {
        const tags = [...new Set([...playTags, ...taskTags])].sort();
        body += `      ${taskTitle(task)}\tTAGS: [${tags.join(', ')}]\n`;
      }
    }
    if (show.tags) body += `      TASK TAGS: [${[...new Set([...playTags, ...allTags])].sort().join(', ')}]\n`;
    // Display.display adds a newline only to text that does not end with one.
    text += body.endsWith('\n') ? body : `${body}\n`;
  });
  return text;
}

/** Tasks as the listing walks them: each block's main list only (not rescue/always), tag-filtered. */
function listedTasks(block: Block, selection: TagSelection): Task[] {
  return block.block.flatMap((node) => (node.kind === 'block' ? listedTasks(node, selection) : shouldRun(node, selection) ? [node] : []));
}

/**
 * task.py `get_name` for named tasks (`role : name`; role_include.py's own `get_name` leaves
 * the role out for include_role), otherwise the action as written.
 */
function taskTitle(task: Task): string {
  if (!task.name) return task.actionAs;
  return task.role && task.action !== 'include_role' ? `${task.role.name} : ${task.name}` : task.name;
}

/** `','.join(play.hosts)` after Ansible templated `hosts:` (a string is one pattern). */
function hostList(play: Play, extraVars: PyDict): string {
  const patterns = Array.isArray(play.hosts) ? play.hosts : [play.hosts];
  return patterns
    .map((pattern) => {
      const text = String(pattern);
      try {
        return staticText(text, 'hosts', [extraVars, play.vars], fileStart(play.file));
      } catch {
        return text;
      }
    })
    .join(',');
}
