import type { PyValue } from '../template/values.js';
import { PyDict } from '../template/values.js';
import { EXTENDING_KEYWORDS, INHERITABLE_KEYWORDS } from './keywords.js';
import { asList, tagList } from './lists.js';
import type { Block, Keywords, Node, Play } from './model.js';

/**
 * Keyword inheritance, as Task/Block `_get_parent_attribute` resolve it
 * (lib/ansible/playbook/task.py, block.py): a task's own value, then each enclosing block's,
 * then — where a role's tasks start — the role entry's and those of the roles that pulled the
 * role in as a dependency, then the play's.
 */

/** The keyword layers above and including a node, innermost first. */
export function keywordLayers(node: Node): Keywords[] {
  const layers: Keywords[] = [];
  let current: Node | null = node;
  while (current) {
    layers.push(current.keywords);
    if (current.kind === 'block' && current.role && startsRole(current)) layers.push(current.role.keywords);
    current = current.parent;
  }
  layers.push(playOf(node).keywords);
  return layers;
}

function playOf(node: Node): Play {
  return node.kind === 'task' ? node.parent.play : node.play;
}

/** A block where a role's tasks begin: it has a role its parent does not have. */
function startsRole(block: Block): boolean {
  return block.role !== null && (block.parent === null || block.parent.role !== block.role);
}

/**
 * The value a node gets for a keyword. Inheritable keywords take the nearest value up the
 * chain; list keywords that extend (`when`, `environment`, `module_defaults` prepend,
 * `tags` appends) are combined, dropping nulls and repeats as `_extend_value` does.
 * Non-inheritable keywords (`register`, `loop`, …) are the node's own value.
 */
export function inherited(node: Node, keyword: string): PyValue | undefined {
  if (!INHERITABLE_KEYWORDS.has(keyword)) return node.keywords.get(keyword);
  const layers = keywordLayers(node);
  if (!EXTENDING_KEYWORDS.has(keyword)) return layers.find((layer) => layer.has(keyword))?.get(keyword);
  const values = layers.filter((layer) => layer.has(keyword)).map((layer) => (keyword === 'tags' ? tagList : asList)(layer.get(keyword)));
  if (values.length === 0) return undefined;
  const ordered = keyword === 'tags' ? values : values.reverse();
  return withoutRepeats(ordered.flat());
}

/**
 * The values a keyword that does not extend has on each level that sets it, innermost first:
 * where one templates to `omit`, the task takes the next (FieldAttributeBase.set_to_context).
 */
export function keywordValues(node: Node, keyword: string): PyValue[] {
  if (!INHERITABLE_KEYWORDS.has(keyword) || EXTENDING_KEYWORDS.has(keyword)) return node.keywords.has(keyword) ? [node.keywords.get(keyword) as PyValue] : [];
  return keywordLayers(node).filter((layer) => layer.has(keyword)).map((layer) => layer.get(keyword) as PyValue);
}

/** `_extend_value`: drops None and consecutive duplicates (itertools.groupby). */
function withoutRepeats(values: PyValue[]): PyValue[] {
  const out: PyValue[] = [];
  for (const value of values) {
    if (value === null) continue;
    if (out.length > 0 && out[out.length - 1] === value) continue;
    out.push(value);
  }
  return out;
}

/** Every `when` that applies to a task, outermost first; the executor ANDs them. */
export function conditionsOf(node: Node): PyValue[] {
  return (inherited(node, 'when') as PyValue[] | undefined) ?? [];
}

/** The tags of a task: its own and every enclosing level's, each once. */
export function tagsOf(node: Node): PyValue[] {
  const tags = (inherited(node, 'tags') as PyValue[] | undefined) ?? [];
  return tags.filter((tag, index) => tags.indexOf(tag) === index);
}

/** The `environment` entries that apply, outermost first (later ones override earlier ones). */
export function environmentOf(node: Node): PyValue[] {
  return (inherited(node, 'environment') as PyValue[] | undefined) ?? [];
}

/**
 * The `vars` of the enclosing blocks and of the node itself, outermost first (Ansible's block
 * and task vars; role entry vars are the role's, in `role.keywords`).
 */
export function varsChain(node: Node): PyDict[] {
  const layers: PyDict[] = [];
  const values: (PyValue | undefined)[] = [];
  let current: Node | null = node;
  while (current) {
    values.unshift(current.keywords.get('vars'));
    current = current.parent;
  }
  for (const value of values) {
    const dicts = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    for (const dict of dicts) if (dict instanceof PyDict) layers.push(dict);
  }
  return layers;
}
