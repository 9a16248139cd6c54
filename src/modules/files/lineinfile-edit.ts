import { compilePyRegex, expandReplacement, parseReplacement, search, type PyRegex } from '../../template/filters/pyregex.js';

/**
 * lineinfile's line logic (lib/ansible/modules/lineinfile.py present/absent) over the lines
 * of a file as readlines() gives them. Regexes are Python `re` patterns.
 */
export interface PresentOptions {
  regexp: string | null;
  searchString: string | null;
  line: string;
  insertafter: string | null;
  insertbefore: string | null;
  backrefs: boolean;
  firstmatch: boolean;
}

export interface EditResult {
  lines: string[];
  changed: boolean;
  msg: string;
}

const stripEol = (line: string) => line.replace(/[\r\n]+$/, '');

export function present(input: readonly string[], options: PresentOptions): EditResult {
  const lines = [...input];
  const { regexp, searchString, line, insertafter, insertbefore, backrefs, firstmatch } = options;
  const lineRe: PyRegex | null = regexp !== null ? compilePyRegex(regexp) : null;
  let insertRe: PyRegex | null = null;
  if (insertafter !== null && insertafter !== 'BOF' && insertafter !== 'EOF') insertRe = compilePyRegex(insertafter);
  else if (insertbefore !== null && insertbefore !== 'BOF') insertRe = compilePyRegex(insertbefore);

  const index = [-1, -1];
  let match: RegExpExecArray | boolean | null = null;
  if (lineRe) {
    for (const [lineno, current] of lines.entries()) {
      const found = search(lineRe, current);
      if (found) {
        index[0] = lineno;
        match = found;
        if (firstmatch) break;
      }
    }
  }
  if (searchString !== null) {
    for (const [lineno, current] of lines.entries()) {
      if (current.includes(searchString)) {
        index[0] = lineno;
        match = true;
        if (firstmatch) break;
      }
    }
  }
  if (!match) {
    for (const [lineno, current] of lines.entries()) {
      if (line === stripEol(current)) {
        index[0] = lineno;
      } else if (insertRe && search(insertRe, current)) {
        if (insertafter) {
          index[1] = lineno + 1;
          if (firstmatch) break;
        }
        if (insertbefore) {
          index[1] = lineno;
          if (firstmatch) break;
        }
      }
    }
  }

  let msg = '';
  let changed = false;
  const added = () => {
    msg = 'line added';
    changed = true;
  };
  const at = (i: number) => lines.at(i) as string;
  if (index[0] !== -1) {
    let newLine = backrefs && match && lineRe && typeof match !== 'boolean' ? expandReplacement(parseReplacement(line, lineRe), match) : line;
    if (!newLine.endsWith('\n')) newLine += '\n';
    if (lines[index[0]] !== newLine) {
      lines[index[0]] = newLine;
      msg = 'line replaced';
      changed = true;
    }
  } else if (backrefs) {
    // backrefs with no match leaves the file alone.
  } else if (insertbefore === 'BOF' || insertafter === 'BOF') {
    lines.unshift(`${line}\n`);
    added();
  } else if (insertafter === 'EOF' || index[1] === -1) {
    const last = lines.at(-1);
    if (last !== undefined && !last.endsWith('\n') && !last.endsWith('\r')) lines.push('\n');
    lines.push(`${line}\n`);
    added();
  } else if (insertafter && index[1] !== -1) {
    if (lines.length === index[1]) {
      if (stripEol(at(index[1] - 1)) !== line) {
        lines.push(`${line}\n`);
        added();
      }
    } else if (line !== stripEol(at(index[1]))) {
      lines.splice(index[1], 0, `${line}\n`);
      added();
    }
  } else {
    lines.splice(index[1], 0, `${line}\n`);
    added();
  }
  return { lines, changed, msg };
}

export function absent(input: readonly string[], regexp: string | null, searchString: string | null, line: string | null): { lines: string[]; found: number } {
  const lineRe = regexp !== null ? compilePyRegex(regexp) : null;
  const kept: string[] = [];
  let found = 0;
  for (const current of input) {
    const matches = lineRe ? search(lineRe, current) !== null : searchString !== null ? current.includes(searchString) : line === stripEol(current);
    if (matches) found++;
    else kept.push(current);
  }
  return { lines: kept, found };
}
