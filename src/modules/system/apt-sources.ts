import { posix } from 'node:path';
import { splitPy, stripPy } from '../../template/python/text.js';

/**
 * ansible-core 2.14's apt_repository SourcesList (modules/apt_repository.py) as pure functions:
 * how it reads sources files line by line, finds, adds and removes a source, and writes the
 * files back (every line normalised: `# ` for a disabled one, ` # ` before a comment).
 */

const VALID_SOURCE_TYPES = ['deb', 'deb-src'];

export interface SourceLine {
  /** The line's number when read (or appended): what _remove_valid_source pops by. */
  n: number;
  valid: boolean;
  enabled: boolean;
  source: string;
  comment: string;
}

export interface SourcesList {
  /** Each file's lines, keyed by its path as the module spells it, in reading order. */
  files: Map<string, SourceLine[]>;
  /** Files a source was appended to: the `mode` option applies to these only. */
  newRepos: Set<string>;
  /** Dir::Etc::sourceparts, as apt's config gives it (with a trailing slash). */
  partsDir: string;
}

/** _parse's InvalidSource: the message is the line as _parse left it. */
export class InvalidSource extends Error {}

/** A Python IndexError the module dies of (a traceback, MODULE FAILURE). */
export class PythonIndexError extends Error {}

const strip = (text: string): string => stripPy(text, null, true, true);

/** _parse. */
export function parseSourceLine(text: string, raiseIfInvalidOrDisabled = false): Omit<SourceLine, 'n'> {
  let line = strip(text);
  let enabled = true;
  let comment = '';
  if (line.startsWith('#')) {
    enabled = false;
    line = line.slice(1);
  }
  const hash = line.indexOf('#');
  if (hash > 0) {
    comment = strip(line.slice(hash + 1));
    line = line.slice(0, hash);
  }
  let source = strip(line);
  let valid = false;
  if (source !== '') {
    const chunks = splitPy(source, null, -1);
    if (VALID_SOURCE_TYPES.includes(chunks[0] as string)) {
      valid = true;
      source = chunks.join(' ');
    }
  }
  if (raiseIfInvalidOrDisabled && (!valid || !enabled)) throw new InvalidSource(line);
  return { valid, enabled, source, comment };
}

/** load: the lines of open(file, 'r') (universal newlines), each parsed. */
export function parseSourcesFile(text: string): SourceLine[] {
  const lines = text.split(/\r\n|\r|\n/);
  if (/[\r\n]$/.test(text) || text === '') lines.pop();
  return lines.map((line, n) => ({ n, ...parseSourceLine(line) }));
}

/** _suggest_filename: the repository's host and path, non-alphanumerics as `_`, or the `filename` option; `.list` added. */
export function suggestFilename(source: string, filename: string | null): string {
  const line = source.replace(/\[[^\]]+\]/g, '').replace(/[\p{L}\p{N}_]+:\/\//gu, '');
  const parts = splitPy(line, null, -1).filter((part) => !VALID_SOURCE_TYPES.includes(part));
  const first = parts[0];
  if (first === undefined) throw new PythonIndexError('list index out of range');
  if (filename !== null) return `${filename}.list`;
  const host = first.includes('@') ? first.slice(first.indexOf('@') + 1) : first;
  return `${splitPy(host.replace(/[^a-zA-Z0-9]/g, ' '), null, -1).join('_')}.list`;
}

/** _expand_path: a bare name is in sources.list.d. */
function expandPath(list: SourcesList, filename: string): string {
  return filename.includes('/') ? filename : posix.resolve(list.partsDir, filename);
}

/** _add_valid_source: every line with the source is enabled; when none has it, it is appended to `file`. */
export function addSource(list: SourcesList, source: string, file: string): void {
  let found = false;
  for (const lines of list.files.values()) {
    lines.forEach((line, index) => {
      if (line.valid && line.source === source) {
        lines[index] = { ...line, enabled: true };
        found = true;
      }
    });
  }
  if (found) return;
  const path = expandPath(list, file);
  const lines = list.files.get(path) ?? [];
  list.files.set(path, lines);
  lines.push({ n: lines.length, valid: true, enabled: true, source, comment: '' });
  list.newRepos.add(path);
}

/**
 * _remove_valid_source: pops each enabled line with the source by the number it was read
 * with while iterating the same list, as the module does — so after a pop a later match
 * may be skipped, or its number be past the end (IndexError).
 */
export function removeSource(list: SourcesList, source: string): void {
  for (const lines of list.files.values()) {
    for (let index = 0; index < lines.length; ) {
      const line = lines[index++] as SourceLine;
      if (!(line.valid && line.enabled && line.source === source)) continue;
      if (line.n >= lines.length) throw new PythonIndexError('pop index out of range');
      lines.splice(line.n, 1);
    }
  }
}

/** repos_urls: the enabled sources. */
export function enabledSources(list: SourcesList): string[] {
  return [...list.files.values()].flatMap((lines) => lines.filter((line) => line.valid && line.enabled).map((line) => line.source));
}

/** dump: each file with lines, as save writes it. */
export function dumpSources(list: SourcesList): Map<string, string> {
  const dump = new Map<string, string>();
  for (const [file, lines] of list.files) {
    if (lines.length === 0) continue;
    dump.set(file, lines.map((line) => `${line.enabled ? '' : '# '}${line.source}${line.comment ? ` # ${line.comment}` : ''}\n`).join(''));
  }
  return dump;
}

/** UbuntuSourcesList._expand_ppa: `ppa:owner/name` (name defaults to `ppa`) as its deb line. */
export function expandPpa(repo: string, codename: string): string {
  const ppa = repo.split(':')[1] ?? '';
  const [owner, name = 'ppa'] = ppa.split('/');
  return `deb http://ppa.launchpad.net/${owner ?? ''}/${name}/ubuntu ${codename} main`;
}

/** distro.codename as aptsources reads it from `lsb_release -idrc`, `sid` without one. */
export function lsbCodename(output: string): string {
  let codename = 'sid';
  for (const line of output.split('\n')) {
    const at = line.indexOf(':\t');
    if (at >= 0 && line.slice(0, at) === 'Codename') codename = line.slice(at + 2);
  }
  return codename;
}
