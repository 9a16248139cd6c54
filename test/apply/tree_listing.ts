import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** Every path under `dir`, sorted, with its mode, a file's size (and mtime with `withMtime`) and a link's target. */
export function treeListing(dir: string, withMtime = false, prefix = ''): string[] {
  return readdirSync(join(dir, prefix))
    .sort()
    .flatMap((name) => {
      const path = join(prefix, name);
      const stat = lstatSync(join(dir, path));
      const file = stat.isFile() ? (withMtime ? `${stat.size} ${stat.mtimeMs}` : String(stat.size)) : '';
      const line = `${path} ${stat.mode.toString(8)} ${file} ${stat.isSymbolicLink() ? readlinkSync(join(dir, path)) : ''}`;
      return stat.isDirectory() ? [line, ...treeListing(dir, withMtime, path)] : [line];
    });
}
