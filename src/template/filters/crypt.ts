import { createHash, randomInt } from 'node:crypto';
import { pyStr, pyTruthy } from '../python/index.js';
import type { Filter } from '../registry.js';
import { filterError, intArg, isStrValue, text } from './common.js';
import { bind } from './signature.js';

/**
 * `password_hash`: the crypt(3) formats Ansible produces through passlib —
 * sha512_crypt/sha256_crypt (Drepper's SHA-crypt, https://www.akkadia.org/drepper/SHA-crypt.txt)
 * and md5_crypt. bcrypt needs Blowfish, which fleet does not carry.
 */
const ITOA64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** crypt's base-64: `n` characters of the 24-bit value (b2, b1, b0), least significant first. */
function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let out = '';
  for (let i = 0; i < n; i++) {
    out += ITOA64[w & 0x3f];
    w >>= 6;
  }
  return out;
}

function encodeBytes(digest: Buffer, triples: Array<[number, number, number]>, tail: [number, number, number, number]): string {
  const at = (i: number): number => (i < 0 ? 0 : (digest[i] ?? 0));
  return triples.map(([a, b, c]) => b64From24(at(a), at(b), at(c), 4)).join('') + b64From24(at(tail[0]), at(tail[1]), at(tail[2]), tail[3]);
}

/** `length` bytes of `block` repeated. */
function repeatTo(block: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = block[i % block.length] ?? 0;
  return out;
}

interface ShaCrypt {
  id: string;
  hash: 'sha256' | 'sha512';
  triples: Array<[number, number, number]>;
  tail: [number, number, number, number];
}

const SHA512: ShaCrypt = {
  id: '6',
  hash: 'sha512',
  triples: [
    [0, 21, 42], [22, 43, 1], [44, 2, 23], [3, 24, 45], [25, 46, 4], [47, 5, 26], [6, 27, 48],
    [28, 49, 7], [50, 8, 29], [9, 30, 51], [31, 52, 10], [53, 11, 32], [12, 33, 54], [34, 55, 13],
    [56, 14, 35], [15, 36, 57], [37, 58, 16], [59, 17, 38], [18, 39, 60], [40, 61, 19], [62, 20, 41],
  ],
  tail: [-1, -1, 63, 2],
};

const SHA256: ShaCrypt = {
  id: '5',
  hash: 'sha256',
  triples: [[0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14], [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29]],
  tail: [-1, 31, 30, 3],
};

function shaCrypt(spec: ShaCrypt, password: Buffer, salt: Buffer, rounds: number): string {
  const h = (...parts: Buffer[]): Buffer => {
    const hash = createHash(spec.hash);
    for (const p of parts) hash.update(p);
    return hash.digest();
  };
  const b = h(password, salt, password);
  const aParts: Buffer[] = [password, salt, repeatTo(b, password.length)];
  for (let n = password.length; n > 0; n >>= 1) aParts.push(n & 1 ? b : password);
  let c = h(...aParts);
  const pBytes = repeatTo(h(...Array<Buffer>(password.length).fill(password)), password.length);
  const sBytes = repeatTo(h(...Array<Buffer>(16 + (c[0] ?? 0)).fill(salt)), salt.length);
  for (let i = 0; i < rounds; i++) {
    const hash = createHash(spec.hash);
    hash.update(i & 1 ? pBytes : c);
    if (i % 3 !== 0) hash.update(sBytes);
    if (i % 7 !== 0) hash.update(pBytes);
    hash.update(i & 1 ? c : pBytes);
    c = hash.digest();
  }
  // rounds=5000 is SHA-crypt's implicit default, which passlib leaves out.
  const roundsText = rounds === 5000 ? '' : `rounds=${rounds}$`;
  return `$${spec.id}$${roundsText}${salt.toString('latin1')}$${encodeBytes(c, spec.triples, spec.tail)}`;
}

function md5Crypt(password: Buffer, salt: Buffer): string {
  const md5 = (...parts: Buffer[]): Buffer => {
    const hash = createHash('md5');
    for (const p of parts) hash.update(p);
    return hash.digest();
  };
  const alternate = md5(password, salt, password);
  const parts: Buffer[] = [password, Buffer.from('$1$'), salt, repeatTo(alternate, password.length)];
  for (let n = password.length; n > 0; n >>= 1) parts.push(n & 1 ? Buffer.from([0]) : password.subarray(0, 1));
  let final = md5(...parts);
  for (let i = 0; i < 1000; i++) {
    const round: Buffer[] = [i & 1 ? password : final];
    if (i % 3 !== 0) round.push(salt);
    if (i % 7 !== 0) round.push(password);
    round.push(i & 1 ? final : password);
    final = md5(...round);
  }
  const triples: Array<[number, number, number]> = [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]];
  return `$1$${salt.toString('latin1')}$${encodeBytes(final, triples, [-1, -1, 11, 2])}`;
}

interface Scheme {
  name: string;
  saltSize: number;
  defaultRounds?: number;
  crypt: (password: Buffer, salt: Buffer, rounds: number) => string;
}

const SCHEMES: Record<string, Scheme> = {
  sha512_crypt: { name: 'sha512_crypt', saltSize: 16, defaultRounds: 656000, crypt: (p, s, r) => shaCrypt(SHA512, p, s, r) },
  sha256_crypt: { name: 'sha256_crypt', saltSize: 16, defaultRounds: 535000, crypt: (p, s, r) => shaCrypt(SHA256, p, s, r) },
  md5_crypt: { name: 'md5_crypt', saltSize: 8, crypt: (p, s) => md5Crypt(p, s) },
};

const ALIASES: Record<string, string> = { md5: 'md5_crypt', blowfish: 'bcrypt', sha256: 'sha256_crypt', sha512: 'sha512_crypt' };

/** AnsibleFilterError(msg, orig_exc=e) around passlib's own message. */
const couldNotHash = (reason: string): Error => filterError(`Could not hash the secret.. ${reason}. Could not hash the secret.. ${reason}`);

/** passlib_or_crypt: `password` hashed with a passlib scheme name (sha512_crypt…), salt checked. */
export function cryptPassword(password: string, algorithm: string, salt: string | undefined, rounds?: number, saltSize?: number): string {
  const scheme = SCHEMES[algorithm];
  if (!scheme) {
    if (algorithm === 'bcrypt') throw filterError('bcrypt password hashes are not supported by fleet');
    throw filterError(`passlib does not support '${algorithm}' algorithm. passlib does not support '${algorithm}' algorithm`);
  }
  const chosen = salt ?? randomCryptSalt(saltSize ?? scheme.saltSize);
  if (/[^./0-9A-Za-z]/.test(chosen)) throw couldNotHash(`invalid characters in ${scheme.name} salt`);
  if (chosen.length > scheme.saltSize) throw couldNotHash(`salt too large (${scheme.name} requires <= ${scheme.saltSize} chars)`);
  return scheme.crypt(Buffer.from(password, 'utf8'), Buffer.from(chosen, 'latin1'), rounds ?? scheme.defaultRounds ?? 0);
}

/** The salt size Ansible's BaseHash gives a scheme, for the password lookup's stored salt. */
export const cryptSaltSize = (algorithm: string): number | undefined => SCHEMES[algorithm]?.saltSize;

function randomCryptSalt(size: number): string {
  return Array.from({ length: size }, () => ITOA64[randomInt(64)]).join('');
}

const passwordHash: Filter = (_env, value, call) => {
  const b = bind({ name: 'get_encrypted_password', params: ['password', 'hashtype=', 'salt=', 'salt_size=', 'rounds=', 'ident='] }, value, call);
  const requested = text(b.values.get('hashtype') ?? 'sha512');
  const saltArg = b.values.get('salt');
  const salt = saltArg !== undefined && saltArg !== null && pyTruthy(saltArg) ? (isStrValue(saltArg) ? text(saltArg) : pyStr(saltArg)) : undefined;
  const roundsArg = b.values.get('rounds');
  const saltSize = b.values.get('salt_size');
  return cryptPassword(
    pyStr(value),
    ALIASES[requested] ?? requested,
    salt,
    roundsArg === undefined || roundsArg === null ? undefined : intArg(roundsArg, 0),
    saltSize === undefined || saltSize === null ? undefined : intArg(saltSize, 0),
  );
};

export const cryptFilters: Record<string, Filter> = { password_hash: passwordHash };
