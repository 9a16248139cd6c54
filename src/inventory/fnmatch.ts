/**
 * Python's `fnmatch.translate` (`*`, `?`, `[seq]`, `[!seq]`) as a JavaScript RegExp, and
 * Python `re` syntax adapted for the `~regex` host patterns. Both match from the start, as
 * Python's `pattern.match` does.
 */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  let i = 0;
  while (i < glob.length) {
    const c = glob[i] as string;
    i += 1;
    if (c === '*') {
      while (glob[i] === '*') i += 1;
      out += '.*';
    } else if (c === '?') {
      out += '.';
    } else if (c === '[') {
      let j = i;
      if (glob[j] === '!') j += 1;
      if (glob[j] === ']') j += 1;
      while (j < glob.length && glob[j] !== ']') j += 1;
      if (j >= glob.length) {
        out += '\\[';
        continue;
      }
      let set = glob.slice(i, j).replace(/\\/g, '\\\\');
      i = j + 1;
      if (set === '!') {
        out += '.';
        continue;
      }
      if (set[0] === '!') set = `^${set.slice(1)}`;
      else if (set[0] === '^' || set[0] === '[') set = `\\${set}`;
      out += `[${set.replace(/\]/g, '\\]')}]`;
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    }
  }
  return new RegExp(`^(?:${out})$`, 's');
}

/** A Python regular expression (the part after `~`), anchored at the start like re.match. */
export function pythonRegExp(source: string): RegExp {
  const js = source.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  return new RegExp(`^(?:${js})`);
}
