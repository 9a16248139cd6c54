import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { isStr, strValue } from '../../template/python/types.js';
import type { PyValue } from '../../template/values.js';
import { sha1Hex } from './content-write.js';
import { fetchDestination, FetchDestError } from './fetch-dest.js';
import { expandUser } from './paths.js';
import { scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';

/** The fetch action's options (it has no module; lib/ansible/modules/fetch.py documents them). */
const spec: ArgSpec = {
  options: {
    // raw: the action checks the types itself, with its own messages.
    src: { type: 'raw' },
    dest: { type: 'raw' },
    flat: { type: 'bool', default: false },
    fail_on_missing: { type: 'bool', default: true },
    validate_checksum: { type: 'bool', default: true },
  },
};

const md5Hex = (content: Buffer) => createHash('md5').update(content).digest('hex');

async function localFile(path: string): Promise<Buffer | null> {
  try {
    return (await stat(path)).isDirectory() ? null : await readFile(path);
  } catch {
    return null;
  }
}

/**
 * One round trip: the file's checksum (stat follows links, as fetch does) and, only when it
 * differs from the controller's copy, its content as base64 and its mode.
 */
function readScript(source: string, localSha1: string, ctx: ModuleContext): Script {
  return Script.join([
    filesLib(ctx.userland),
    sh`src=${source} local_sum=${localSha1}`,
    Script.raw(`if ! [ -e "$src" ]; then fleet_emit missing 1
elif [ -d "$src" ]; then fleet_emit isdir 1
elif ! [ -r "$src" ]; then fleet_emit unreadable "file is not readable: $src"
else
  fleet_sha1 "$src"; fleet_emit checksum "$fleet_sha1_hex"
  if [ "$fleet_sha1_hex" != "$local_sum" ]; then
    if fleet_info -L -- "$src"; then fleet_emit mode "$fi_mode"; fi
    base64 < "$src" | tr -d '\\n' | fleet_emit_stdin content
  fi
fi`),
  ]);
}

/**
 * Written beside dest and renamed over it. A new file gets the remote file's permissions
 * plus owner write, less the umask (what OpenSSH's sftp `get` creates); a file already there
 * keeps its own.
 */
async function writeLocal(dest: string, content: Buffer, remoteMode: number): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  const existing = await stat(dest).catch(() => null);
  const umask = process.umask();
  const mode = existing ? existing.mode & 0o7777 : ((remoteMode & 0o777) | 0o200) & ~umask;
  const temp = join(dirname(dest), `.${basename(dest)}.fleet-${randomUUID()}`);
  try {
    await writeFile(temp, content, { mode: 0o600 });
    await chmod(temp, mode);
    await rename(temp, dest);
  } finally {
    await rm(temp, { force: true });
  }
}

/** The action's checks, in its order: the last that applies gives the message. */
function argumentProblem(src: PyValue, dest: PyValue): string | null {
  if (src === null || dest === null) return 'src and dest are required';
  if (!isStr(dest)) return 'Invalid type supplied for dest option, it must be a string';
  if (!isStr(src)) return 'Invalid type supplied for source option, it must be a string';
  return null;
}

function missingResult(failOnMissing: boolean, source: string, msg: string): ModuleResult {
  return failOnMissing ? { failed: true, changed: false, msg } : { changed: false, file: source, msg };
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  if (ctx.check) return { changed: false, skipped: true, msg: 'check mode not (yet) supported for this module' };
  const src = args.get('src') ?? null;
  const destArg = args.get('dest') ?? null;
  const problem = argumentProblem(src, destArg);
  if (problem !== null || !isStr(src) || !isStr(destArg)) return { failed: true, changed: false, msg: problem ?? '' };
  const failOnMissing = args.get('fail_on_missing') === true;
  const source = expandUser(strValue(src), ctx);
  const playbookDir = ctx.vars.get('playbook_dir');
  let dest: string;
  try {
    dest = fetchDestination({ source, dest: strValue(destArg), flat: args.get('flat') === true, host: ctx.host, playbookDir: typeof playbookDir === 'string' ? playbookDir : process.cwd() });
  } catch (error) {
    if (error instanceof FetchDestError) return { failed: true, changed: false, msg: error.message };
    throw error;
  }
  const local = await localFile(dest);
  const localSha1 = local === null ? '' : sha1Hex(local);
  const output = await ctx.remote(readScript(source, localSha1, ctx));
  const failure = scriptFailure(output);
  if (failure) return failure;
  if (output.fields.has('missing')) return missingResult(failOnMissing, source, 'the remote file does not exist, not transferring, ignored');
  if (output.fields.has('isdir')) {
    const msg = 'remote file is a directory, fetch cannot work on directories';
    return failOnMissing ? { failed: true, changed: false, msg } : { changed: false, msg: `${msg}, not transferring, ignored` };
  }
  // slurp's failure: reported whole when missing files fail, else only the file's name.
  if (output.fields.has('unreadable')) return failOnMissing ? { failed: true, changed: false, msg: field(output, 'unreadable') } : { changed: false, file: source };
  const remoteChecksum = field(output, 'checksum');
  if (local !== null && !output.fields.has('content')) {
    return { changed: false, md5sum: md5Hex(local), file: source, dest, checksum: localSha1 };
  }
  const content = Buffer.from(field(output, 'content'), 'base64');
  try {
    await writeLocal(dest, content, parseInt(field(output, 'mode', '644'), 8));
  } catch (error) {
    return { failed: true, changed: false, msg: `Failed to fetch the file: ${(error as Error).message}` };
  }
  const checksum = sha1Hex(content);
  if (args.get('validate_checksum') === true && checksum !== remoteChecksum) {
    return { failed: true, changed: false, md5sum: md5Hex(content), msg: 'checksum mismatch', file: source, dest, remote_md5sum: null, checksum, remote_checksum: remoteChecksum };
  }
  return { changed: true, md5sum: md5Hex(content), dest, remote_md5sum: null, checksum, remote_checksum: remoteChecksum };
}

export const fetchModule: ModuleDef = { name: 'fetch', spec, supportsCheckMode: true, invocation: false, run };
