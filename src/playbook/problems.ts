import { readFileSync } from 'node:fs';
import { ParserError, ValidationError, type SourceLocation } from '../errors.js';
import { PyDict, PyFloat, PyTuple, type PyValue } from '../template/values.js';
import { keyPositionOf, positionOf, valuePositionOf } from '../yaml/load.js';

/** Where a value being loaded sits: its file position and its key path inside the file. */
export interface Where {
  at: SourceLocation;
  /** Key path from the file's root, e.g. `[0].tasks[2].loop_control`. */
  path: string;
}

/**
 * Rejects the playbook with Ansible's message for the problem, the location and the key path
 * (fleet's errors point at the offending key, where Ansible points at the enclosing mapping).
 * The file is malformed: a ParserError, which ends the run even when an include loads it.
 */
export function reject(message: string, where: Where): never {
  throw new ParserError(...located(message, where));
}

/**
 * What the playbook names cannot be used (a role or file that is not there, an included file
 * that holds no task list): Ansible's AnsibleError, so under an include it fails the include's
 * hosts, not the run.
 */
export function unavailable(message: string, where: Where): never {
  throw new ValidationError(...located(message, where));
}

function located(message: string, where: Where): [string, { location: SourceLocation; sourceLine?: string }] {
  const path = where.path === '' ? '' : ` (at ${where.path.replace(/^\./, '')})`;
  return [`${message}${path}`, { location: where.at, sourceLine: sourceLineOf(where.at) }];
}

function sourceLineOf(at: SourceLocation): string | undefined {
  try {
    return readFileSync(at.file, 'utf8').split('\n')[at.line - 1];
  } catch {
    return undefined;
  }
}

/** The start of a file, for problems with a whole file. */
export function fileStart(file: string): Where {
  return { at: { file, line: 1, col: 1 }, path: '' };
}

/** The location of `key` in `mapping` (falling back to the mapping, then to `fallback`). */
export function keyWhere(mapping: PyDict, key: string, parent: Where): Where {
  return { at: keyPositionOf(mapping, key) ?? positionOf(mapping) ?? parent.at, path: `${parent.path}.${key}` };
}

/** The location of the value under `key`. */
export function valueWhere(mapping: PyDict, key: string, parent: Where): Where {
  return { at: valuePositionOf(mapping, key) ?? keyPositionOf(mapping, key) ?? parent.at, path: `${parent.path}.${key}` };
}

/** The location of a mapping or list itself. */
export function nodeWhere(value: PyValue, fallback: Where): Where {
  return { at: positionOf(value) ?? fallback.at, path: fallback.path };
}

/** `type(x)` of a value Ansible loaded from YAML, as its messages print it (`<class 'int'>`). */
export function pythonTypeName(value: PyValue): string {
  return `<class '${loadedType(value)}'>`;
}

function loadedType(value: PyValue): string {
  if (typeof value === 'string') return 'ansible.parsing.yaml.objects.AnsibleUnicode';
  if (value instanceof PyDict) return 'ansible.parsing.yaml.objects.AnsibleMapping';
  if (Array.isArray(value)) return 'ansible.parsing.yaml.objects.AnsibleSequence';
  return pythonType(value);
}

function pythonType(value: PyValue): string {
  if (value === null) return 'NoneType';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number' || typeof value === 'bigint') return 'int';
  if (value instanceof PyFloat) return 'float';
  if (value instanceof PyTuple) return 'tuple';
  if (Array.isArray(value)) return 'list';
  if (value instanceof PyDict) return 'dict';
  return value.pyType;
}
