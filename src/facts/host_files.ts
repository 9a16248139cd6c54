import type { FactFamily } from './family.js';
import { TRAILING_FILES } from './shared_shell.js';

function paths(family: FactFamily): string[] {
  return [...Object.values(family.files ?? {}).flat(), ...(family.globs ?? [])];
}

/**
 * The paths the families read, as the words of fleet_read_files' command line (written as
 * they are: constants of fleet's, with `$$` for the shell to expand), in the families' order,
 * each once, TRAILING_FILES last.
 */
export function fileWords(families: readonly FactFamily[]): string[] {
  const wanted = new Set(families.flatMap(paths));
  return [...[...wanted].filter((path) => !TRAILING_FILES.includes(path)), ...TRAILING_FILES.filter((path) => wanted.has(path))];
}

/** grep's `path:line` lines, as each file's text (its lines, each ending in a newline), by path. */
export function filesRead(text: string): Map<string, string> {
  const lines = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const path = line.slice(0, colon);
    let fileLines = lines.get(path);
    if (fileLines === undefined) lines.set(path, (fileLines = []));
    fileLines.push(line.slice(colon + 1), '\n');
  }
  return new Map([...lines].map(([path, fileLines]) => [path, fileLines.join('')]));
}

/**
 * A path as read: `$$` is the shell's pid, which only the shell's own /proc entry holds; in a
 * glob, `*` is any part of one name and `[...]` a bracket expression.
 */
function pattern(path: string): RegExp {
  let compiled = patterns.get(path);
  if (compiled === undefined) patterns.set(path, (compiled = compilePattern(path)));
  return compiled;
}

/** Compiled once a process: every host's gathering matches the same constant paths. */
const patterns = new Map<string, RegExp>();

function compilePattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|\\/]/g, '\\$&').replace(/\\\$\\\$/g, '\\d+').replace(/\\\*/g, '[^/]*');
  return new RegExp(`^${escaped.replace(/\[!/g, '[^')}$`);
}

/** A family's file records (FactFamily.files and globs), from the files read. */
export function familyFiles(family: FactFamily, read: ReadonlyMap<string, string>): Map<string, string[]> {
  const records = new Map<string, string[]>();
  const globs = (family.globs ?? []).map(pattern);
  if (globs.length > 0) for (const [path, text] of read) if (globs.some((glob) => glob.test(path))) records.set(`file:${path}`, [text]);
  for (const [key, candidates] of Object.entries(family.files ?? {})) {
    for (const candidate of typeof candidates === 'string' ? [candidates] : candidates) {
      const match = candidate.includes('$$') ? pattern(candidate) : null;
      const text = match ? [...read].find(([path]) => match.test(path))?.[1] : read.get(candidate);
      if (text !== undefined) {
        records.set(key, [text]);
        break;
      }
    }
  }
  return records;
}
