import { realpathSync } from 'node:fs';
import { relative } from 'node:path';
import { FleetError, type SourceLocation } from '../errors.js';

/** One thing `fleet validate` found wrong, where it was written. */
export interface Problem {
  location: SourceLocation;
  message: string;
}

/**
 * Every problem of a run, collected rather than thrown: each loader's first error for a
 * file becomes a problem and the run goes on with the next file.
 */
export class Problems {
  private readonly all: Problem[] = [];
  private readonly seen = new Set<string>();

  add(at: SourceLocation, message: string): void {
    // Content reached through symlinks (playbooks/roles → ../roles) is named by its real path.
    const location = { ...at, file: realPath(at.file) };
    const key = `${location.file}:${location.line}:${location.col}: ${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.all.push({ location, message });
  }

  /** A FleetError (any loader's) as a problem at its own location, else at `fallback`. */
  addError(error: unknown, fallback: SourceLocation): void {
    if (!(error instanceof FleetError)) throw error;
    // A located error's message may carry a `file:line:col:` of its own (policy lists); keep the first line's text.
    this.add(error.location ?? fallback, error.message);
  }

  /** A FleetError located anywhere but in `file` (a stand-in fleet wrote itself); others are dropped. */
  addErrorOutside(error: unknown, file: string): void {
    if (!(error instanceof FleetError)) throw error;
    if (error.location && error.location.file !== file) this.add(error.location, error.message);
  }

  /** Runs `check`; a FleetError it throws is collected. */
  collect(fallback: SourceLocation, check: () => void): void {
    try {
      check();
    } catch (error) {
      this.addError(error, fallback);
    }
  }

  /** Sorted by file, line and column. */
  list(): Problem[] {
    return [...this.all].sort(
      (a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.col - b.location.col,
    );
  }
}

/** `file:line:col: message`, the file relative to `cwd` when inside it; one line. */
export function formatProblem(problem: Problem, cwd: string): string {
  const { file, line, col } = problem.location;
  const shown = file.startsWith('/') && !relative(cwd, file).startsWith('..') ? relative(cwd, file) : file;
  // The YAML parser's own "at line N, column M:" repeats the location.
  const message = problem.message.replace(/\n\s*/g, ' ').replace(/ at line \d+, column \d+:?$/, '');
  return `${shown}:${line}:${col}: ${message}`;
}

function realPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}
