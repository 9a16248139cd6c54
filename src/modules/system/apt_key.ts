import { captured } from '../../shell/capture.js';
import { Script, sh } from '../../shell/script.js';
import { splitPy } from '../../template/python/text.js';
import type { Args, ArgSpec } from '../argspec.js';
import { expandUser } from '../files/paths.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { BIN_PATH, missingExecutable } from './bin-path.js';
import { addOutputLines } from './low-level.js';
import { PARSABLE_LOCALE } from './parsable-locale.js';

// modules/apt_key.py main()
const spec: ArgSpec = {
  options: {
    id: { type: 'str' },
    url: { type: 'str' },
    data: { type: 'str' },
    file: { type: 'path' },
    keyring: { type: 'path' },
    // Only used to download a key, which fleet refuses to do.
    validate_certs: { type: 'bool', default: true },
    keyserver: { type: 'str' },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
  },
  mutuallyExclusive: [['data', 'file', 'keyserver', 'url']],
};

const ARMOR = '-----BEGIN PGP PUBLIC KEY BLOCK-----';

/** parse_output_for_keys: the ids on `pub`/`sub` lines that are not expired, apt-key's `rsa4096/ID` or gpg's colon format. */
export function keysIn(output: string, shortFormat = false): string[] {
  const found: string[] = [];
  for (const line of output.split('\n')) {
    if (!(line.startsWith('pub') || line.startsWith('sub')) || line.includes('expired')) continue;
    const code = splitPy(line, null, -1)[1];
    const parts = code?.split('/');
    if (parts?.length === 2) found.push(parts[1] as string);
    else if (line.split(':').length > 4) found.push(line.split(':')[4] as string);
  }
  return shortFormat ? found.map((key) => key.slice(-8)) : found;
}

/** parse_key_id: [short id, fingerprint, key id], or null where it raises ValueError (int(id, 16) included). */
export function parseKeyId(keyId: string | null): [string, string, string] | null {
  const text = keyId ?? 'None';
  if (!/^\s*[+-]?(0[xX]_?)?[0-9a-fA-F]+(_[0-9a-fA-F]+)*\s*$/.test(text)) return null;
  let id = text.toUpperCase();
  if (id.startsWith('0X')) id = id.slice(2);
  if (id.length !== 8 && id.length !== 16 && id.length <= 16) return null;
  return [id.slice(-8), id.length > 16 ? id.slice(-16) : id, id];
}

/** `apt-key [--keyring K] WORDS…` as the module's command string names it, and its shell words. */
function aptKey(keyring: string | null, words: readonly string[], aptKeyPath: string): { cmd: string; script: Script } {
  const all = [...(keyring === null ? [] : ['--keyring', keyring]), ...words];
  return { cmd: [aptKeyPath, ...all].join(' '), script: Script.concat([Script.raw('"$fleet_apt_key"'), ...all.map((word) => sh` ${word}`)]) };
}

const LIST = ['adv', '--list-public-keys', '--keyid-format=long'];

/**
 * The read: apt-key and gpg (find_needed_binaries), the key's id from `gpg --with-colons` when
 * `file` or `data` gives the key without `id`, and the keys apt-key lists now.
 */
function readScript(keyring: string | null, extract: { file: string } | { data: Buffer } | null): Script {
  const gpg =
    extract === null
      ? Script.raw(':')
      : captured(Script.concat([Script.raw('"$fleet_gpg" --with-colons'), sh` ${'file' in extract ? extract.file : '-'}`]), {
          prefix: 'gpg_',
          stdin: 'data' in extract ? extract.data : null,
          locale: Script.raw('"$fleet_locale"'),
        });
  return Script.join([
    BIN_PATH,
    PARSABLE_LOCALE,
    Script.raw(`if ! fleet_bin_path apt-key; then fleet_emit missing_apt_key "$fleet_bin_paths"; exit 0; fi
fleet_apt_key=$fleet_bin; fleet_emit apt_key "$fleet_apt_key"
if ! fleet_bin_path gpg; then fleet_emit missing_gpg "$fleet_bin_paths"; exit 0; fi
fleet_gpg=$fleet_bin
fleet_parsable_locale`),
    gpg,
    captured(aptKey(keyring, LIST, '').script, { prefix: 'list_' }),
  ]);
}

/** The change (add or del) and, when it worked, the list again. */
function changeScript(aptKeyPath: string, change: Script, data: Buffer | null, keyring: string | null): Script {
  return Script.join([
    sh`fleet_apt_key=${aptKeyPath}`,
    Script.concat(['if ', captured(change, { prefix: 'op_', stdin: data }), '; then']),
    captured(aptKey(keyring, LIST, aptKeyPath).script, { prefix: 'list_' }),
    Script.raw('fi'),
  ]);
}

const output = (out: RemoteOutput, prefix: string) => ({ rc: Number(field(out, `${prefix}rc`, '1')), stdout: field(out, `${prefix}stdout`), stderr: field(out, `${prefix}stderr`) });

async function decide(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const given = (name: string): string | null => (args.get(name) as string | null) || null;
  const keyring = given('keyring') === null ? null : expandUser(given('keyring') as string, ctx);
  const file = given('file') === null ? null : expandUser(given('file') as string, ctx);
  const data = given('data');
  const url = given('url');
  let keyId = args.get('id') as string | null;
  const extract = keyId || url !== null ? null : file !== null ? { file } : data !== null ? { data: Buffer.from(data, 'utf8') } : null;
  // run_command adds a newline to text data: armored data goes to gpg as text, other data as bytes.
  if (extract && 'data' in extract && (data as string).includes(ARMOR)) extract.data = Buffer.from(`${data as string}\n`, 'utf8');
  const read = await ctx.remote(readScript(keyring, given('keyserver') === null ? extract : null), { readOnly: true });
  if (read.fields.has('missing_apt_key')) return { failed: true, changed: false, msg: missingExecutable('apt-key', field(read, 'missing_apt_key')) };
  if (read.fields.has('missing_gpg')) return { failed: true, changed: false, msg: missingExecutable('gpg', field(read, 'missing_gpg')) };
  const aptKeyPath = field(read, 'apt_key');
  if (!keyId) {
    if (given('keyserver') !== null) return { failed: true, changed: false, msg: 'Missing key_id, required with keyserver.' };
    if (url !== null) return refuseDownload(url);
    if (extract !== null) {
      const gpg = output(read, 'gpg_');
      if (gpg.rc !== 0) return { failed: true, changed: false, msg: `Unable to extract key from '${file ?? 'inline data'}'`, stdout: gpg.stdout, stderr: gpg.stderr };
      keyId = keysIn(gpg.stdout)[0] ?? null;
    }
  }
  const r: Record<string, unknown> = { changed: false, id: keyId };
  const parsed = parseKeyId(keyId);
  if (parsed === null) return { ...r, failed: true, msg: 'Invalid key_id' };
  const [shortId, fingerprint, fullId] = parsed;
  Object.assign(r, { short_id: shortId, fp: fingerprint, key_id: fullId });
  const shortFormat = fullId.length === 8;
  const list = (out: RemoteOutput) => output(out, 'list_');
  const listed = list(read);
  const listCmd = aptKey(keyring, LIST, aptKeyPath).cmd;
  if (listed.rc !== 0) return { failed: true, changed: false, msg: 'Unable to list public keys', cmd: listCmd, ...listed };
  const keys = keysIn(listed.stdout, shortFormat);
  r['before'] = keys;
  const present = (found: string[]) => (shortFormat ? found.includes(shortId) : found.includes(fingerprint));
  const noError = (what: string) => `apt-key did not return an error, but ${what} (check that the id is correct and *not* a subkey)`;

  if (args.get('state') === 'present') {
    if (present(keys)) return r;
    r['changed'] = true;
    if (ctx.check) return r;
    let change: { cmd: string; script: Script };
    let stdin: Buffer | null = null;
    let failure: Record<string, unknown>;
    if (file !== null) {
      change = aptKey(keyring, ['add', file], aptKeyPath);
      failure = { msg: `Unable to add a key from file ${file}`, keyfile: file };
    } else if (given('keyserver') !== null) {
      return { failed: true, changed: false, msg: `fleet does not fetch keys from keyservers: apt_key would run apt-key adv --recv ${fullId} against ${given('keyserver') as string} over the network. Give the key as file or data instead` };
    } else if (data !== null) {
      change = aptKey(keyring, ['add', '-'], aptKeyPath);
      stdin = Buffer.from(data, 'utf8');
      failure = { msg: 'Unable to add a key from binary data' };
    } else if (url !== null) {
      return refuseDownload(url);
    } else {
      return { ...r, failed: true, msg: 'No key to add ... how did i get here?!?!' };
    }
    const done = await ctx.remote(changeScript(aptKeyPath, change.script, stdin, keyring));
    const op = output(done, 'op_');
    if (op.rc !== 0) return { failed: true, changed: false, ...failure, cmd: change.cmd, ...op };
    return verified(r, list(done), listCmd, shortFormat, (after) => present(after), noError('failed to add the key'));
  }
  if (!keys.includes(fingerprint)) return r;
  r['changed'] = true;
  if (ctx.check) return r;
  // The module deletes by the short id (https://bugs.launchpad.net/ubuntu/+source/apt/+bug/1481871).
  const change = aptKey(keyring, ['del', shortId], aptKeyPath);
  const done = await ctx.remote(changeScript(aptKeyPath, change.script, null, keyring));
  const op = output(done, 'op_');
  if (op.rc !== 0) return { failed: true, changed: false, msg: `Unable to remove a key with id ${shortId}`, cmd: change.cmd, key_id: shortId, ...op };
  return verified(r, list(done), listCmd, shortFormat, (after) => !after.includes(fingerprint), noError('the key was not removed'));
}

/** The list after the change: `after`, and the module's failure when the change did not show. */
function verified(r: Record<string, unknown>, listed: { rc: number; stdout: string; stderr: string }, cmd: string, shortFormat: boolean, done: (keys: string[]) => boolean, failure: string): ModuleResult {
  if (listed.rc !== 0) return { failed: true, changed: false, msg: 'Unable to list public keys', cmd, ...listed };
  const after = keysIn(listed.stdout, shortFormat);
  r['after'] = after;
  return done(after) ? r : { ...r, failed: true, msg: failure };
}

function refuseDownload(url: string): ModuleResult {
  return { failed: true, changed: false, msg: `fleet does not download keys: apt_key would fetch ${url}. Copy the key to the host (copy, or get_url) and give it as file instead` };
}

export const aptKeyModule: ModuleDef = {
  name: 'apt_key',
  spec,
  supportsCheckMode: true,
  run: async (args, ctx) => addOutputLines(await decide(args, ctx)),
};
