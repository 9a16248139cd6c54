import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { posixDirname } from '../../template/filters/posixpath.js';
import { expandUserFunctions } from '../system/expand.js';
import { editKeyFile, InvalidKeyLine } from './authorized-key-lines.js';
import { expandUser } from './paths.js';
import { asResult, pathInfo, scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';
import { EditError, writeEdit } from './text-edit.js';

/** ansible.posix authorized_key's argument_spec (ansible-core 2.14 routes `authorized_key` there). */
const spec: ArgSpec = {
  options: {
    user: { type: 'str', required: true },
    key: { type: 'str', required: true },
    path: { type: 'path' },
    manage_dir: { type: 'bool', default: true },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    key_options: { type: 'str' },
    exclusive: { type: 'bool', default: false },
    comment: { type: 'str' },
    validate_certs: { type: 'bool', default: true },
    follow: { type: 'bool', default: false },
  },
};

const NO_ATTRIBUTES = { owner: null, group: null, mode: null };

/**
 * The module's first keyfile() call and readfile(): the user's ids and home (not needed in
 * check mode when `path` is given, as the module skips the lookup then), the key file as given
 * and, with `follow`, its real path, then its content when it is a regular file.
 */
function readScript(user: string, path: string | null, follow: boolean, ctx: ModuleContext): Script {
  const lookUp = !(ctx.check && path !== null);
  return Script.join([
    filesLib(ctx.userland),
    expandUserFunctions(ctx.userland),
    sh`ak_user=${user} ak_file=${path ?? ''}`,
    lookUp
      ? Script.raw(`if ak_home=$(fleet_user_home "$ak_user") && ak_uid=$(id -u -- "$ak_user") && ak_gid=$(id -g -- "$ak_user"); then
  fleet_emit uid "$ak_uid"; fleet_emit gid "$ak_gid"
else fleet_emit no_user 1; exit 0; fi
if [ -z "$ak_file" ]; then
  case $ak_home in */) ak_dir=\${ak_home}.ssh ;; '') ak_dir=.ssh ;; *) ak_dir=$ak_home/.ssh ;; esac
  ak_file=$ak_dir/authorized_keys
fi`)
      : Script.raw(':'),
    Script.raw(`fleet_emit keyfile "$ak_file"
${follow ? 'fleet_realpath "$ak_file"; fleet_emit real "$fleet_real"' : ':'}
if [ -f "$ak_file" ] && ! [ -r "$ak_file" ]; then fleet_fail "[Errno 13] Permission denied: '$ak_file'"; fi
if [ -f "$ak_file" ]; then fleet_emit_file content "$ak_file"; fleet_sha1 "$ak_file"; fleet_emit sha1 "$fleet_sha1_hex"; fi`),
    path !== null ? Script.raw('fleet_path_info "$ak_file"') : Script.raw(':'),
  ]);
}

/**
 * keyfile(write=True): with manage_dir the key file's directory is made 0700 and given to the
 * user; a missing key file is created empty; then the key file is given to the user, mode
 * 0600 (the module ignores failures of that last step). chown and chmod follow links, as
 * os.chown and os.chmod do.
 */
function prepareScript(keyfile: string, sshDir: string, manageDir: boolean, uid: string, gid: string): Script {
  return Script.join([
    sh`ak_file=${keyfile} ak_dir=${sshDir} ak_owner=${`${uid}:${gid}`}`,
    manageDir
      ? Script.raw(`if ! [ -e "$ak_dir" ]; then ak_err=$(LC_ALL=C mkdir -m 700 -- "$ak_dir" 2>&1) || fleet_fail "Failed to create directory $ak_dir : \${ak_err##*: }"; fi
{ chown -- "$ak_owner" "$ak_dir" && chmod 700 -- "$ak_dir"; } || fleet_fail "could not give $ak_dir to $ak_owner with mode 0700"`)
      : Script.raw(':'),
    Script.raw(`if ! [ -e "$ak_file" ]; then
  case $ak_file in */*) ak_parent=\${ak_file%/*}; [ -z "$ak_parent" ] || mkdir -p -- "$ak_parent" ;; esac
  : > "$ak_file" || fleet_fail "could not create $ak_file"
fi
chown -- "$ak_owner" "$ak_file" 2>/dev/null && chmod 600 -- "$ak_file" 2>/dev/null
:`),
  ]);
}

/** What exit_json returns: every parameter, the key file, and add_path_info's keys for `path`. */
function resultOf(args: Args, path: string | null, keyfile: string, read: RemoteOutput, extra: Record<string, unknown>): ModuleResult {
  return asResult({ ...Object.fromEntries(args), path, keyfile, ...extra, ...pathInfo(read) });
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const user = args.get('user') as string;
  const key = args.get('key') as string;
  const givenPath = (args.get('path') as string | null) ?? null;
  const path = givenPath === null ? null : expandUser(givenPath, ctx);
  const follow = args.get('follow') === true;
  const manageDir = args.get('manage_dir') === true;
  if (key.startsWith('http')) {
    return { failed: true, changed: false, msg: `fleet does not fetch authorized keys from URLs (${key}): put the keys' text in key (a lookup such as url runs on the controller)` };
  }
  const read = await ctx.remote(readScript(user, path, follow, ctx), { readOnly: true });
  const failure = scriptFailure(read);
  if (failure) return failure;
  if (read.fields.has('no_user')) {
    const msg = ctx.check && path === null ? 'Either user must exist or you must provide full path to key file in check mode' : `Failed to lookup user ${user}: "getpwnam(): name not found: '${user}'"`;
    return { failed: true, changed: false, msg };
  }
  const keyfile = field(read, 'keyfile');
  if (field(read, 'content').includes('\uFFFD')) return { failed: true, changed: false, msg: `fleet can only edit UTF-8 text files: ${keyfile} is not valid UTF-8` };
  const target = follow ? field(read, 'real') : keyfile;
  // Python reads the file in text mode: universal newlines.
  const existing = field(read, 'content').replace(/\r\n?/g, '\n');
  let content: string | null;
  try {
    content = editKeyFile(existing, {
      keys: key,
      present: args.get('state') === 'present',
      exclusive: args.get('exclusive') === true,
      keyOptions: (args.get('key_options') as string | null) ?? null,
      comment: (args.get('comment') as string | null) ?? null,
    });
  } catch (error) {
    if (error instanceof InvalidKeyLine) return { failed: true, changed: false, msg: error.message };
    throw error;
  }
  if (content === null) return resultOf(args, path, keyfile, read, { changed: false });
  const diff = ctx.diff ? { diff: { before_header: keyfile, after_header: target, before: existing, after: content } } : {};
  if (ctx.check) return resultOf(args, path, keyfile, read, { ...diff, changed: true });
  try {
    const outcome = await writeEdit(
      {
        path: keyfile,
        readSha1: read.fields.has('sha1') ? field(read, 'sha1') : null,
        content,
        createParents: false,
        backup: false,
        validate: null,
        attributes: NO_ATTRIBUTES,
        replaceLink: !follow,
        prepare: prepareScript(target, posixDirname(keyfile), manageDir, field(read, 'uid'), field(read, 'gid')),
        reportPathInfo: path !== null,
      },
      ctx,
    );
    return resultOf(args, path, keyfile, outcome.output, { ...diff, changed: true });
  } catch (error) {
    if (error instanceof EditError) return asResult(error.result);
    throw error;
  }
}

export const authorizedKeyModule: ModuleDef = {
  name: 'authorized_key',
  aliases: ['ansible.posix.authorized_key'],
  spec,
  supportsCheckMode: true,
  run,
};
