import { readFileSync } from 'node:fs';
import { FleetError, type SourceLocation } from './errors.js';
import { isVaulted } from './vault/envelope.js';

/**
 * An error as ansible-playbook prints it after `ERROR! ` (AnsibleError.message in
 * lib/ansible/errors/__init__.py): the message, then which file, line and column, then the
 * offending line under the line before it, with `^ here` at the column. The lines of a vaulted
 * file are not shown, as Ansible hides them (show_content=False).
 */
export function errorReport(error: FleetError): string {
  if (!error.location) return error.message;
  const { file, line, col } = error.location;
  let text =
    `${error.message}\n\n` +
    `The error appears to be in '${file}': line ${line}, column ${col}, but may\n` +
    'be elsewhere in the file depending on the exact syntax problem.\n';
  const shown = offendingLines(error.location, error.sourceLine);
  if (shown) text += `\nThe offending line appears to be:\n\n${shown.previous}\n${shown.target}\n${' '.repeat(Math.max(0, col - 1))}^ here\n`;
  return text;
}

interface OffendingLines {
  previous: string;
  target: string;
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
    return sourceLine === undefined ? undefined : { previous: '', target: sourceLine.trimEnd() };
  }
  if (isVaulted(text)) return undefined;
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  let index = Math.min(at.line, lines.length) - 1;
  while (index >= 0 && (lines[index] ?? '').trim() === '') index -= 1;
  if (index < 0) return undefined;
  return { previous: index > 0 ? (lines[index - 1] ?? '').trimEnd() : '', target: (lines[index] ?? '').trimEnd() };
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
