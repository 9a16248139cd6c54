/** Rows as aligned columns separated by two spaces, headers first; the last column is not padded. */
export function textTable(headers: string[], rows: string[][]): string {
  const table = [headers, ...rows];
  const widths = headers.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  return table.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] as number))).join('  ').trimEnd() + '\n').join('');
}
