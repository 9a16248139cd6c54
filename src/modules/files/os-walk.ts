/**
 * What file.py's initial_diff lists for a directory it removes: os.walk(path) top-down, each
 * directory's sub-directories, then its files, before the walk goes into each sub-directory in
 * turn. `entries` are find's (depth first, each directory's entries in the order it reads them,
 * which is os.scandir's), each with whether it is a directory as os.walk tells (a link to one
 * counts, though the walk does not follow it, as find does not).
 */
export function osWalkContent(root: string, entries: readonly { path: string; isDir: boolean }[]): { directories: string[]; files: string[] } {
  const children = new Map<string, { path: string; isDir: boolean }[]>();
  for (const entry of entries) {
    const parent = entry.path.slice(0, entry.path.lastIndexOf('/'));
    const siblings = children.get(parent);
    if (siblings) siblings.push(entry);
    else children.set(parent, [entry]);
  }
  const directories: string[] = [];
  const files: string[] = [];
  const walk = (dir: string): void => {
    const inside = children.get(dir) ?? [];
    for (const entry of inside) if (entry.isDir) directories.push(entry.path);
    for (const entry of inside) if (!entry.isDir) files.push(entry.path);
    for (const entry of inside) if (entry.isDir) walk(entry.path);
  };
  walk(root.replace(/\/+$/, '') || '/');
  return { directories, files };
}
