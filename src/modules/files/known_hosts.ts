import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { editedLines, hashHostKey, searchFoundKeys, type HostKeySearch } from './known-hosts-entries.js';
import { expandUser } from './paths.js';
import { asResult, pathInfo, scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';
import { EditError, writeEdit } from './text-edit.js';

/** lib/ansible/modules/known_hosts.py's argument_spec. */
const spec: ArgSpec = {
  options: {
    name: { type: 'str', required: true, aliases: ['host'] },
    key: { type: 'str' },
    path: { type: 'path', default: '~/.ssh/known_hosts' },
    hash_host: { type: 'bool', default: false },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  },
};

/**
 * One round trip for everything the module reads: ssh-keygen's verdict on the key alone
 * (sanity_check: `-F` on a temp file holding it), then, when the file exists, `-F` on it and
 * the file itself.
 */
function readScript(host: string, key: string | null, path: string, ctx: ModuleContext): Script {
  return Script.join([
    filesLib(ctx.userland),
    sh`kh_host=${host} kh_path=${path} kh_key=${key ?? ''}`,
    Script.raw(`command -v ssh-keygen >/dev/null 2>&1 || fleet_fail "Failed to find required executable \\"ssh-keygen\\" in paths: $PATH"
{ kh_out=$(mktemp "\${TMPDIR:-/tmp}/fleet-kh.XXXXXX") && kh_err=$(mktemp "\${TMPDIR:-/tmp}/fleet-kh.XXXXXX"); } || fleet_fail "could not make a temp file"
if [ -n "$kh_key" ]; then
  printf '%s' "$kh_key" > "$kh_out"
  [ -z "$(ssh-keygen -F "$kh_host" -f "$kh_out" 2>/dev/null)" ] || fleet_emit key_matches 1
fi
if [ -e "$kh_path" ]; then
  fleet_emit exists 1
  ssh-keygen -F "$kh_host" -f "$kh_path" >"$kh_out" 2>"$kh_err"; fleet_emit rc "$?"
  fleet_emit_stdout_stderr "$kh_out" "$kh_err"
  if [ -f "$kh_path" ]; then fleet_emit_file content "$kh_path"; fleet_sha1 "$kh_path"; fleet_emit sha1 "$fleet_sha1_hex"; fi
  fleet_path_info "$kh_path"
fi
rm -f -- "$kh_out" "$kh_err"`),
  ]);
}

function failure(msg: string): ModuleResult {
  return { failed: true, changed: false, msg };
}

/** search_for_host_key, from what the read found; a string is the module's failure message. */
function searchOf(read: RemoteOutput, key: string | null): HostKeySearch | string {
  if (!read.fields.has('exists')) return { found: false, replaceOrAdd: false, foundLine: null };
  const rc = Number(field(read, 'rc'));
  const stdout = field(read, 'stdout');
  const stderr = field(read, 'stderr');
  if (stdout === '' && stderr === '' && (rc === 0 || rc === 1)) return { found: false, replaceOrAdd: false, foundLine: null };
  if (rc !== 0) return `ssh-keygen failed (rc=${rc}, stdout='${stdout}',stderr='${stderr}')`;
  return searchFoundKeys(stdout, key);
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.get('name') as string;
  const host = name.toLowerCase();
  const path = expandUser(args.get('path') as string, ctx);
  const present = args.get('state') === 'present';
  const givenKey = (args.get('key') as string | null) ?? null;
  if (!givenKey && present) return failure('No key specified when adding a host');
  let key = givenKey ? (args.get('hash_host') === true ? hashHostKey(host, givenKey) : givenKey) : null;
  if (key !== null && !key.endsWith('\n')) key += '\n';
  if (key !== null && /\S+(\s+)?,(\s+)?/.test(host)) {
    return failure('Comma separated list of names is not supported. Please pass a single name to lookup in the known_hosts file.');
  }
  const read = await ctx.remote(readScript(host, key, path, ctx), { readOnly: true });
  const readFailure = scriptFailure(read);
  if (readFailure) return readFailure;
  if (key !== null && !read.fields.has('key_matches')) return failure('Host parameter does not match hashed host field in supplied key');
  const search = searchOf(read, key);
  if (typeof search === 'string') return failure(search);
  if (field(read, 'content').includes('\uFFFD')) return failure(`fleet can only edit UTF-8 text files: ${path} is not valid UTF-8`);
  const before = field(read, 'content').replace(/\r\n?/g, '\n');
  const diff = {
    before_header: read.fields.has('exists') ? path : '/dev/null',
    after_header: path,
    before,
    after: editedLines(before, search, present, key),
  };
  const params = { ...Object.fromEntries(args), path, diff };
  if (!present && search.foundLine === null && key !== null) return asResult({ ...params, changed: false, ...pathInfo(read) });
  const changes = search.replaceOrAdd || present !== search.found;
  if (ctx.check) return asResult({ changed: changes, diff });
  if (!changes) return asResult({ ...params, changed: false, ...pathInfo(read) });
  const removeHost = search.found && key === null && !present;
  try {
    const outcome = await writeEdit(
      {
        path,
        readSha1: read.fields.has('sha1') ? field(read, 'sha1') : null,
        content: removeHost ? null : diff.after,
        createParents: false,
        backup: false,
        validate: null,
        attributes: { owner: null, group: null, mode: null },
        replaceLink: true,
        // Only the whole host is removed with ssh-keygen -R (which keeps the old file as PATH.old).
        prepare: removeHost
          ? sh`kh_err=$(ssh-keygen -R ${host} -f ${path} 2>&1 >/dev/null) || fleet_fail "$kh_err"`
          : undefined,
        reportPathInfo: true,
      },
      ctx,
    );
    return asResult({ ...params, changed: true, ...pathInfo(outcome.output) });
  } catch (error) {
    if (error instanceof EditError) return asResult(error.result);
    throw error;
  }
}

export const knownHostsModule: ModuleDef = { name: 'known_hosts', spec, supportsCheckMode: true, run };
