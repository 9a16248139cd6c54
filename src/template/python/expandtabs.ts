/** Python's `str.expandtabs(size)`: each tab pads to the next multiple of `size` columns of its line. */
export function expandTabs(text: string, size = 8): string {
  let column = 0;
  let out = '';
  for (const char of text) {
    if (char === '\t') {
      const pad = size > 0 ? size - (column % size) : 0;
      out += ' '.repeat(pad);
      column += pad;
    } else {
      out += char;
      column = char === '\n' || char === '\r' ? 0 : column + 1;
    }
  }
  return out;
}
