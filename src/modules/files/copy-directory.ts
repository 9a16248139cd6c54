import { readFile, stat } from 'node:fs/promises';
import { validateArgs, type Args } from '../argspec.js';
import type { ModuleContext, ModuleResult } from '../types.js';
import { PyDict, type PyValue } from '../../template/values.js';
import { unvaultBytes } from '../../vault/context.js';
import { attributeWantsFrom, type AttributeWants } from './attributes.js';
import { writeContentOutcome } from './content-write.js';
import { fileModule } from './file.js';
import { isPreserveMode } from './mode.js';
import { walkSourceTree } from './source-tree.js';

/**
 * `copy` of a controller directory, as the copy action does it: each file with the copy
 * module into `dest/` (missing parents made with directory_mode), then every source
 * directory with the file module (state=directory, mode=directory_mode). One file alone
 * reports that module's result; more report `{dest, src, changed}`.
 */
export async function copyDirectory(args: Args, source: string, dest: string, attributes: AttributeWants, ctx: ModuleContext): Promise<ModuleResult> {
  const tree = walkSourceTree(source, args.get('local_follow') !== false);
  const link = tree.symlinks[0];
  if (link) return { failed: true, changed: false, msg: `fleet does not support copying symlinks inside a directory yet (${link[1]} -> ${link[0]})` };
  const destDir = dest.endsWith('/') ? dest : `${dest}/`;
  const directoryMode = args.get('directory_mode') ?? null;
  const directoryArgs = new Map<string, PyValue>([...args, ['mode', directoryMode]]);
  let changed = false;
  let last: ModuleResult | null = null;
  for (const [path, rel] of tree.files) {
    const raw = await readFile(path);
    const fileAttributes = isPreserveMode(args.get('mode')) ? { ...attributes, mode: { kind: 'octal' as const, value: (await stat(path)).mode & 0o7777 } } : attributes;
    const { kept, result } = await writeContentOutcome(
      {
        dest: `${destDir}${rel}`,
        content: args.get('decrypt') === true ? unvaultBytes(raw, path) : raw,
        basenameInDirectory: rel,
        force: args.get('force') === true,
        // copy.py: "We only follow symlinks for files in the non-recursive case".
        follow: tree.directories.length === 0 && args.get('follow') === true,
        backup: args.get('backup') === true,
        validate: (args.get('validate') as string | null) ?? null,
        attributes: fileAttributes,
        afterHeader: path,
        parentDirectories: attributeWantsFrom(directoryArgs),
      },
      ctx,
    );
    if (result.failed) return result;
    // `_copy_file` returns None for a file force=no left alone: no module ran for it.
    if (kept) continue;
    changed ||= result.changed === true;
    last = result;
  }
  for (const [, rel] of tree.directories) {
    const fileArgs = validateArgs(
      fileModule.spec,
      new PyDict([
        ['path', `${destDir}${rel}`],
        ['state', 'directory'],
        ['mode', directoryMode],
        ['recurse', false],
        ['owner', args.get('owner') ?? null],
        ['group', args.get('group') ?? null],
        ['force', args.get('force') ?? null],
      ]),
      'file',
    );
    const result = await fileModule.run(fileArgs, ctx);
    if (result.failed) return result;
    changed ||= result.changed === true;
    last = result;
  }
  if (last && tree.files.length === 1) return 'dest' in last ? last : { ...last, dest: last['path'] };
  return { dest: destDir, src: source, changed };
}
