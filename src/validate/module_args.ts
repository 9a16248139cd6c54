import { ArgumentError, validateArgs, type ArgOption, type ArgSpec } from '../modules/argspec.js';
import { findModule } from '../modules/index.js';
import type { Task } from '../playbook/model.js';
import { isTemplate } from '../playbook/validate.js';
import { PyDict, PyTuple, type PyValue } from '../template/values.js';
import { readFileSync } from 'node:fs';
import type { SourceLocation } from '../errors.js';
import { keyPositionOf, valuePositionOf } from '../yaml/load.js';
import type { Problems } from './problems.js';

function holdsTemplate(value: PyValue): boolean {
  if (isTemplate(value)) return true;
  if (Array.isArray(value) || value instanceof PyTuple) return (Array.isArray(value) ? value : value.items).some(holdsTemplate);
  if (value instanceof PyDict) return [...value.values()].some(holdsTemplate);
  return false;
}

/** The spec with every option given a templated value accepting anything: its value is only known on the host's turn. */
function specForStaticArgs(spec: ArgSpec, args: PyDict): ArgSpec {
  const templated = new Set([...args].filter(([, value]) => holdsTemplate(value)).map(([key]) => String(key)));
  if (templated.size === 0) return spec;
  const options: Record<string, ArgOption> = {};
  for (const [name, option] of Object.entries(spec.options)) {
    const given = [name, ...(option.aliases ?? [])].some((key) => templated.has(key));
    options[name] = given ? { ...option, type: 'raw', choices: undefined, elements: undefined } : option;
  }
  return { ...spec, options };
}

/**
 * A task's arguments against its module's argspec, as the executor checks them when the
 * task runs (run_task.ts moduleArgs): unknown, missing, mutually exclusive arguments, and
 * the type and choices of every argument that is not templated.
 */
export function checkModuleArgs(task: Task, problems: Problems): void {
  const def = findModule(task.action);
  // `copy: "{{ args }}"`: the arguments are a variable, known only on the host's turn.
  if (!def || task.args.has('_variable_params')) return;
  try {
    validateArgs(specForStaticArgs(def.spec, task.args), task.args, task.actionAs.startsWith('ansible.') ? task.actionAs : def.name);
  } catch (error) {
    if (!(error instanceof ArgumentError)) throw error;
    problems.add(argumentLocation(task, error.message), error.message);
  }
}

/** The argument an ArgumentError names (`value of state…`, `argument 'mode'…`, `Unsupported parameters…: a, b`), else the task. */
function argumentLocation(task: Task, message: string): SourceLocation {
  const value = /^value of (\w+) |^argument '(\w+)'/.exec(message);
  const name = value?.[1] ?? value?.[2];
  if (name !== undefined) return valuePositionOf(task.args, name) ?? writtenAt(task, name) ?? task.at;
  const unsupported = /^Unsupported parameters for \([^)]*\) module: (\w+)/.exec(message)?.[1];
  if (unsupported === undefined) return task.at;
  return keyPositionOf(task.args, unsupported) ?? writtenAt(task, unsupported) ?? task.at;
}

// How far below a task's start its arguments are looked for when the loader kept no positions for them.
const TASK_LINES = 40;

/** Where `name:` or `name=` is first written after the task's start (arguments split from k=v text or copied by the loader). */
function writtenAt(task: Task, name: string): SourceLocation | undefined {
  let lines: string[];
  try {
    lines = readFileSync(task.at.file, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const written = new RegExp(`(^|[\\s{,])${name}\\s*[:=]`);
  for (let line = task.at.line; line < Math.min(lines.length, task.at.line + TASK_LINES); line += 1) {
    const hit = written.exec(lines[line - 1] as string);
    if (hit) return { file: task.at.file, line, col: hit.index + hit[1]!.length + 1 };
  }
  return undefined;
}
