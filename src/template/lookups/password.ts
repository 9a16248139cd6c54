import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pyStr } from '../python/index.js';
import type { Lookup } from '../registry.js';
import { PluginError } from '../filters/common.js';
import { cryptPassword, cryptSaltSize } from '../filters/crypt.js';
import { posixDirname, posixExpanduser, posixNormpath, posixPathJoin } from '../filters/posixpath.js';
import { pyRandom } from '../filters/pyrandom.js';
import { lookupOptions } from './options.js';
import { parseKv } from './kv.js';

/**
 * The password lookup (lib/ansible/plugins/lookup/password.py): a random password kept in
 * a controller file (`/dev/null` keeps nothing), optionally returned crypt-hashed with a
 * salt stored next to it. A `seed` makes the password repeatable.
 */

const ansibleError = (message: string): PluginError => new PluginError('AnsibleError', message);

/** Python's `string` module constants that `chars=` may name. */
const STRING_CONSTANTS: Record<string, string> = {
  ascii_letters: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ascii_lowercase: 'abcdefghijklmnopqrstuvwxyz',
  ascii_uppercase: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  hexdigits: '0123456789abcdefABCDEF',
  octdigits: '01234567',
  punctuation: '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  whitespace: ' \t\n\r\x0b\x0c',
  printable: '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c',
};

const VALID_PARAMS = new Set(['length', 'encrypt', 'chars', 'ident', 'seed']);
const DEFAULT_CHARS = ['ascii_letters', 'digits', '.,:-_'];
const SALT_CHARS = `${STRING_CONSTANTS.ascii_letters}${STRING_CONSTANTS.digits}./`;

interface PasswordParams {
  path: string;
  length: number;
  encrypt: string | null;
  ident: string | null;
  seed: string | null;
  chars: string[];
}

/** `chars=` as a list: commas separate, `,,` stands for a comma itself. */
function splitChars(spec: string): string[] {
  const out: string[] = spec.includes(',,') ? [','] : [];
  out.push(...spec.replace(/,,/g, ',').split(',').filter(Boolean));
  return out;
}

function parseParameters(term: string, defaults: Record<string, unknown>): PasswordParams {
  const space = term.indexOf(' ');
  let path = space < 0 ? term : term.slice(0, space);
  const params = space < 0 ? new Map<string, string>() : parseKv(term.slice(space + 1));
  const raw = params.get('_raw_params');
  if (raw !== undefined) {
    path = `${path} ${raw}`;
    params.delete('_raw_params');
    if (!term.startsWith(path)) throw ansibleError('Unrecognized value after key=value parameters given to password lookup');
  }
  const invalid = [...params.keys()].filter((k) => !VALID_PARAMS.has(k));
  if (invalid.length > 0) throw ansibleError(`Unrecognized parameter(s) given to password lookup: ${invalid.join(', ')}`);
  const length = Number(params.get('length') ?? defaults.length);
  if (!Number.isInteger(length)) throw new PluginError('ValueError', `invalid literal for int() with base 10: '${params.get('length')}'`);
  const chars = params.get('chars');
  return {
    path,
    length,
    encrypt: params.get('encrypt') ?? (defaults.encrypt as string | null),
    ident: params.get('ident') ?? (defaults.ident as string | null),
    seed: params.get('seed') ?? (defaults.seed as string | null),
    chars: chars !== undefined ? splitChars(chars) : (defaults.chars as string[]),
  };
}

/** `_gen_candidate_chars`: named constants expanded, quotes dropped. */
function candidateChars(specs: string[]): string {
  return specs.map((spec) => STRING_CONSTANTS[spec] ?? spec).join('').replace(/["']/g, '');
}

/** ansible.utils.encrypt.random_password: `choice(chars)` `length` times. */
function randomPassword(length: number, chars: string, seed: string | null): string {
  const source = pyRandom(seed);
  const pool = Array.from(chars);
  return Array.from({ length }, () => pool[source.below(pool.length)] ?? '').join('');
}

/** `_parse_content`: `password[ salt=SALT[ ident=IDENT]]`. */
function parseContent(content: string): { password: string; salt: string | null; ident: string | null } {
  const saltAt = content.lastIndexOf(' salt=');
  if (saltAt < 0) return { password: content, salt: null, ident: null };
  const rest = content.slice(saltAt + ' salt='.length);
  const identAt = rest.lastIndexOf(' ident=');
  return {
    password: content.slice(0, saltAt),
    salt: identAt < 0 ? rest : rest.slice(0, identAt),
    ident: identAt < 0 ? null : rest.slice(identAt + ' ident='.length),
  };
}

function formatContent(password: string, salt: string | null, encrypt: string | null, ident: string | null): string {
  if (!encrypt && !salt) return password;
  return ident ? `${password} salt=${salt ?? ''} ident=${ident}` : `${password} salt=${salt ?? ''}`;
}

/** The lock file Ansible holds while it reads or writes a password file. */
function withLock<T>(path: string, run: () => T): T {
  if (path === '/dev/null') return run();
  const dir = posixDirname(path);
  const lockfile = posixPathJoin(dir, `${createHash('sha1').update(path).digest('hex')}.ansible_lockfile`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let owned = false;
  try {
    closeSync(openSync(lockfile, 'wx'));
    owned = true;
  } catch {
    throw ansibleError(
      `Password lookup cannot get the lock in 7 seconds, abort...This may caused by un-removed lockfileyou can manually remove it from controller machine at ${lockfile} and try again`,
    );
  }
  try {
    return run();
  } finally {
    if (owned) rmSync(lockfile, { force: true });
  }
}

const OPTIONS = { length: 20, encrypt: null, ident: null, seed: null, chars: DEFAULT_CHARS };

export const password: Lookup = (env, terms, kwargs) => {
  const defaults = lookupOptions(kwargs, OPTIONS);
  return terms.map((term) => {
    const params = parseParameters(pyStr(term), defaults);
    const relpath = posixExpanduser(params.path, env.lookupContext.env.HOME);
    const path = relpath.startsWith('/') ? posixNormpath(relpath) : posixNormpath(posixPathJoin(env.lookupContext.basedir, relpath));
    const chars = candidateChars(params.chars);
    return withLock(path, () => {
      const content = existsSync(path) && path !== '/dev/null' ? readFileSync(path, 'utf8').replace(/\s+$/, '') : null;
      let plaintext: string;
      let salt: string | null = null;
      let changed = false;
      if (content === null) {
        plaintext = randomPassword(params.length, chars, params.seed);
        changed = true;
      } else ({ password: plaintext, salt } = parseContent(content));
      const encrypt = params.encrypt;
      if (encrypt && !salt) {
        salt = randomPassword(cryptSaltSize(encrypt) ?? 8, SALT_CHARS, null);
        changed = true;
      }
      // Only bcrypt has an implicit ident, and fleet does not hash bcrypt.
      const ident = params.ident;
      if (encrypt && !ident) changed = true;
      if (changed && path !== '/dev/null') {
        mkdirSync(posixDirname(path), { recursive: true, mode: 0o700 });
        writeFileSync(path, `${formatContent(plaintext, salt, encrypt, ident)}\n`);
        chmodSync(path, 0o600);
      }
      return encrypt ? cryptPassword(plaintext, encrypt, salt ?? undefined) : plaintext;
    });
  });
};
