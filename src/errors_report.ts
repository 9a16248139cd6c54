import { readFileSync } from 'node:fs';
import { FleetError, type SourceLocation } from './errors.js';
import { remediationHints, SHORTHAND_AND_YAML, SHORTHAND_PATTERN } from './errors_hints.js';
import { isVaulted } from './vault/envelope.js';

/**
 * An error as ansible-playbook prints it after `ERROR! ` (AnsibleError.message in
 * lib/ansible/errors/__init__.py): the message, then which file, line and column, then the
 * offending line under the line before it, with `^ here` at the column. The lines of a vaulted
 * file are not shown, as Ansible hides them (show_content=False).
 */
export function errorReport(error: FleetError): string {
  if (!error.location) return error.message;
  return `${error.message}\n\n${extendedError(error.location, error.sourceLine)}`;
}

function positionDetails(file: string, line: number, col: number): string {
  return `The error appears to be in '${file}': line ${line}, column ${col}, but may\nbe elsewhere in the file depending on the exact syntax problem.\n`;
}

/** AnsibleError._get_extended_error: where, the lines, and advice read from the line's text. */
function extendedError(at: SourceLocation, sourceLine: string | undefined): string {
  const { file, line, col } = at;
  const shown = offendingLines(at, sourceLine);
  if (!shown) return positionDetails(file, line, col);
  const { previous, target } = shown;
  const lines = `${positionDetails(file, line, col)}\nThe offending line appears to be:\n\n${previous.trimEnd()}\n${target.trimEnd()}\n${' '.repeat(Math.max(0, col - 1))}^ here\n`;
  // Ansible's errors point at a task or play, its `- ` line, and the advice is worked out for
  // that line; fleet points some errors at the offending key instead, where it would mislead.
  if (!shown.fromFile || !/^\s*- /.test(target)) return lines;
  let text = lines;
  if (SHORTHAND_PATTERN.test(previous)) {
    // The line before holds k=v shorthand: Ansible points at its first `=` instead.
    const position = previous.trimEnd().indexOf('=');
    text = `${positionDetails(file, line - 1, position + 1)}\nThe offending line appears to be:\n\n${previous.trimEnd()}\n${' '.repeat(position)}^ here\n\n${SHORTHAND_AND_YAML}`;
  }
  return text + remediationHints(target, col);
}

interface OffendingLines {
  /** The lines as Python's readlines gives them, each with its newline when it has one. */
  previous: string;
  target: string;
  /** False when the file could not be read and the error's own source line stands in. */
  fromFile: boolean;
}

/**
 * The line at the location and the one before it, read from the file as Ansible reads them
 * (_get_error_lines_from_file): a line past the end is the last line, and blank lines are
 * walked back over. A file that cannot be read (a `<template>` or `<extra vars>` pseudo-file)
 * shows the source line the error carries, when it has one.
 */
function offendingLines(at: SourceLocation, sourceLine: string | undefined): OffendingLines | undefined {
  let text: string;
  try {
    text = readFileSync(at.file, 'utf8');
  } catch {
    return sourceLine === undefined ? undefined : { previous: '', target: sourceLine, fromFile: false };
  }
  if (isVaulted(text)) return undefined;
  const lines = text.replace(/\r\n/g, '\n').split(/(?<=\n)/);
  let index = Math.min(at.line, lines.length) - 1;
  while (index >= 0 && (lines[index] ?? '').trim() === '') index -= 1;
  if (index < 0) return undefined;
  return { previous: index > 0 ? (lines[index - 1] ?? '') : '', target: lines[index] ?? '', fromFile: true };
}

/** The error as Display.error writes it to stderr: `ERROR! ` and the report, ending in one newline. */
export function errorOutput(error: FleetError): string {
  return displayedError(errorReport(error));
}

/** A report as Display.error shows it: `ERROR! ` and the report, ending in one newline. */
export function displayedError(report: string): string {
  return `ERROR! ${report}${report.endsWith('\n') ? '' : '\n'}`;
}

/**
 * An error Ansible raises with a task's YAML as its object (a task option that is undefined,
 * a `when` that fails): its text ends with the task's position and lines, as AnsibleError.message
 * lays them out, wherever it is shown — a task's `msg` included.
 */
export class TaskError extends FleetError {
  override format(): string {
    return errorReport(this);
  }
}
