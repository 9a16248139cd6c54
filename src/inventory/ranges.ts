/**
 * Host ranges `web[01:10]`, `db-[a:c]`, `n[0:10:2]` expanded as Ansible's
 * expand_hostname_range does (ansible/plugins/inventory/__init__.py): the first `[…]` is
 * expanded, then the results are expanded again while they still contain `[`.
 */

const ASCII_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** A range the way Ansible rejects it; the message is Ansible's. */
export class HostRangeError extends Error {}

export function hasRange(pattern: string): boolean {
  return pattern.includes('[');
}

export function expandHostRange(line: string): string[] {
  if (!line) return [];
  // Python replaces the first '[' and then the first ']' with '|' and needs exactly three parts.
  const parts = line.replace('[', '|').replace(']', '|').split('|');
  // The ValueError of Python's `(head, nrange, tail) = …split('|')`, which Ansible shows as it is.
  if (parts.length < 3) throw new HostRangeError(`not enough values to unpack (expected 3, got ${parts.length})`);
  if (parts.length > 3) throw new HostRangeError('too many values to unpack (expected 3)');
  const [head, range, tail] = parts as [string, string, string];

  const bounds = range.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) throw new HostRangeError('host range must be begin:end or begin:end:step');
  const beg = bounds[0] || '0';
  const end = bounds[1] ?? '';
  const step = bounds.length === 3 ? parsePythonInt(bounds[2] ?? '') : 1;
  if (!end) throw new HostRangeError('host range must specify end value');
  let fill = (x: string): string => x;
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) throw new HostRangeError('host range must specify equal-length begin and end formats');
    fill = (x) => x.padStart(beg.length, '0');
  }

  const out: string[] = [];
  for (const item of rangeItems(beg, end, step)) {
    const name = head + fill(item) + tail;
    if (hasRange(name)) out.push(...expandHostRange(name));
    else out.push(name);
  }
  return out;
}

function rangeItems(beg: string, end: string, step: number): string[] {
  if (step === 0) throw new HostRangeError('slice step cannot be zero');
  const iBeg = ASCII_LETTERS.indexOf(beg);
  const iEnd = ASCII_LETTERS.indexOf(end);
  // Python looks the bounds up with str.index, so any substring of the letters counts.
  if (iBeg >= 0 && iEnd >= 0) {
    if (iBeg > iEnd) throw new HostRangeError('host range must have begin <= end');
    return pythonRange(iBeg, iEnd + 1, step).map((i) => ASCII_LETTERS[i] ?? '');
  }
  return pythonRange(parsePythonInt(beg), parsePythonInt(end) + 1, step).map(String);
}

function pythonRange(start: number, stop: number, step: number): number[] {
  const out: number[] = [];
  if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
  else for (let i = start; i > stop; i += step) out.push(i);
  return out;
}

/** Python's int(str): optional sign, digits with single underscores between them. */
function parsePythonInt(text: string): number {
  const trimmed = text.trim();
  if (!/^[-+]?\d+(?:_\d+)*$/.test(trimmed)) throw new HostRangeError(`invalid literal for int() with base 10: '${text}'`);
  return Number(trimmed.replace(/_/g, ''));
}
