import { createHash, getHashes } from 'node:crypto';
import { PyError, pyStr, pyTruthy, pyTypeName } from '../python/index.js';
import type { Filter } from '../registry.js';
import { PyDict, PyUndefined, type PyValue } from '../values.js';
import { filterError, isStrValue, PluginError, text } from './common.js';
import { bind } from './signature.js';

/**
 * Encodings and digests: b64encode/b64decode, hash/md5/sha1/checksum, to_uuid, quote,
 * urldecode, urlsplit (lib/ansible/plugins/filter/core.py, urls.py, urlsplit.py).
 */

/** Ansible's `to_bytes(x)`/`to_text(x)` of a non-string: its `str()`. */
function asText(v: PyValue): string {
  if (v instanceof PyUndefined) return pyStr(v);
  return isStrValue(v) ? text(v) : pyStr(v);
}

/** Python codec names Ansible users pass as `encoding=` mapped to Node's. */
function nodeEncoding(name: string): BufferEncoding {
  const normalized = name.toLowerCase().replace(/[-_]/g, '');
  const known: Record<string, BufferEncoding> = {
    utf8: 'utf8',
    utf16: 'utf16le',
    utf16le: 'utf16le',
    latin1: 'latin1',
    iso88591: 'latin1',
    ascii: 'ascii',
  };
  const encoding = known[normalized];
  if (!encoding) throw new PluginError('LookupError', `unknown encoding: ${name}`);
  return encoding;
}

const b64encode: Filter = (_env, value, call) => {
  const b = bind({ name: 'b64encode', params: ['string', 'encoding='] }, value, call);
  const encoding = nodeEncoding(text(b.values.get('encoding') ?? 'utf-8'));
  const data = encoding === 'utf16le' && /^utf-?16$/i.test(text(b.values.get('encoding') ?? ''))
    ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(asText(value), 'utf16le')])
    : Buffer.from(asText(value), encoding);
  return data.toString('base64');
};

/** binascii.a2b_base64 in its lenient mode: characters outside the alphabet are skipped. */
function decodeBase64(input: string): Buffer {
  const cleaned = input.replace(/[^A-Za-z0-9+/=]/g, '');
  const data = cleaned.replace(/=.*$/s, '');
  if (data.length % 4 === 1) {
    throw new PluginError(
      'Error',
      `Invalid base64-encoded string: number of data characters (${data.length}) cannot be 1 more than a multiple of 4`,
    );
  }
  const padding = cleaned.length - data.length;
  if (data.length % 4 !== 0 && data.length % 4 + padding < 4) throw new PluginError('Error', 'Incorrect padding');
  return Buffer.from(data, 'base64');
}

const b64decode: Filter = (_env, value, call) => {
  const b = bind({ name: 'b64decode', params: ['string', 'encoding='] }, value, call);
  const bytes = decodeBase64(asText(value));
  const encodingName = text(b.values.get('encoding') ?? 'utf-8');
  const encoding = nodeEncoding(encodingName);
  if (encoding === 'utf16le' && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  return bytes.toString(encoding);
};

/** hashlib names (`sha256`, `sha3_256`, `blake2b`) as Node's OpenSSL spells them. */
function nodeHashName(name: string): string | undefined {
  const available = new Set(getHashes());
  const candidates = [name, name.replace(/_/g, '-'), name === 'blake2b' ? 'blake2b512' : name === 'blake2s' ? 'blake2s256' : ''];
  return candidates.find((c) => c && available.has(c));
}

export function hexDigest(data: string, algorithm: string): string {
  const name = nodeHashName(algorithm.toLowerCase());
  if (!name) throw filterError(`unsupported hash type ${algorithm}`);
  return createHash(name).update(Buffer.from(data, 'utf8')).digest('hex');
}

const digestFilter =
  (pythonName: string, algorithm: string): Filter =>
  (_env, value, call) => {
    bind({ name: pythonName, params: ['data'] }, value, call);
    return hexDigest(asText(value), algorithm);
  };

const hash: Filter = (_env, value, call) => {
  const b = bind({ name: 'get_hash', params: ['data', 'hashtype='] }, value, call);
  return hexDigest(asText(value), text(b.values.get('hashtype') ?? 'sha1'));
};

/** uuid.uuid5: SHA-1 of namespace bytes + name, version 5, RFC 4122 variant. */
function uuid5(namespace: Buffer, name: string): string {
  const digest = createHash('sha1').update(namespace).update(Buffer.from(name, 'utf8')).digest().subarray(0, 16);
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Python's `uuid.UUID(text)`: braces, `urn:uuid:` and hyphens are optional. */
function parseUuid(raw: string): Buffer | undefined {
  const hex = raw.replace(/^urn:/, '').replace(/^uuid:/, '').replace(/[{}]/g, '').replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

const ANSIBLE_UUID_NAMESPACE = '361E6D51-FAEC-444A-9079-341386DA8E2E';

const toUuid: Filter = (_env, value, call) => {
  const b = bind({ name: 'to_uuid', params: ['string', 'namespace='] }, value, call);
  const raw = b.values.get('namespace') ?? ANSIBLE_UUID_NAMESPACE;
  const namespace = parseUuid(asText(raw));
  if (!namespace) {
    const why = isStrValue(raw) ? 'badly formed hexadecimal UUID string' : `'${pyTypeName(raw)}' object has no attribute 'replace'`;
    throw filterError(`Invalid value '${asText(raw)}' for 'namespace': ${why}`);
  }
  return uuid5(namespace, asText(value));
};

/** Python's `shlex.quote`. */
export function shellQuote(s: string): string {
  if (s === '') return "''";
  if (!/[^\w@%+=:,./-]/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

const quote: Filter = (_env, value, call) => {
  bind({ name: 'quote', params: ['a'] }, value, call);
  return shellQuote(value === null ? '' : asText(value));
};

/** urllib.parse.unquote_plus: `+` is a space, `%XX` are UTF-8 bytes (bad ones replaced). */
export function unquotePlus(s: string): string {
  const spaced = s.replace(/\+/g, ' ');
  return spaced.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

const urldecode: Filter = (_env, value, call) => {
  bind({ name: 'unquote_plus', params: ['string', 'encoding=', 'errors='] }, value, call);
  if (!isStrValue(value)) throw new PyError('AttributeError', `'${pyTypeName(value)}' object has no attribute 'replace'`);
  return unquotePlus(text(value));
};

/** urllib.parse.urlsplit's attributes, keyed and ordered as Ansible's `object_to_dict` lists them. */
function urlParts(url: string): PyDict {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s.exec(url);
  const scheme = (m?.[1] ?? '').toLowerCase();
  const netloc = m?.[2] ?? '';
  const userinfo = netloc.includes('@') ? netloc.slice(0, netloc.lastIndexOf('@')) : null;
  const hostport = netloc.includes('@') ? netloc.slice(netloc.lastIndexOf('@') + 1) : netloc;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(hostport);
  const hostText = bracketed ? bracketed[1] : hostport.split(':')[0];
  const portText = bracketed ? bracketed[2] : hostport.includes(':') ? hostport.slice(hostport.indexOf(':') + 1) : undefined;
  let port: PyValue = null;
  if (portText !== undefined && portText !== '') {
    if (!/^[0-9]+$/.test(portText) || Number(portText) > 65535) throw new PyError('ValueError', 'Port out of range 0-65535');
    port = Number(portText);
  }
  const parts = new PyDict();
  parts.set('fragment', m?.[5] ?? '');
  parts.set('hostname', hostText ? hostText.toLowerCase() : null);
  parts.set('netloc', netloc);
  parts.set('password', userinfo !== null && userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : null);
  parts.set('path', m?.[3] ?? '');
  parts.set('port', port);
  parts.set('query', m?.[4] ?? '');
  parts.set('scheme', scheme);
  parts.set('username', userinfo !== null ? userinfo.split(':')[0] ?? '' : null);
  return parts;
}

const urlsplit: Filter = (_env, value, call) => {
  const b = bind({ name: 'split_url', params: ['value', 'query=', 'alias='] }, value, call);
  const results = urlParts(asText(value));
  const query = b.values.get('query');
  if (query === undefined || !pyTruthy(query)) return results;
  const part = results.get(text(query));
  if (part === undefined) throw filterError(`urlsplit: unknown URL component: ${text(query)}`);
  return part;
};

export const encodingFilters: Record<string, Filter> = {
  b64encode,
  b64decode,
  hash,
  md5: digestFilter('md5s', 'md5'),
  sha1: digestFilter('checksum_s', 'sha1'),
  checksum: digestFilter('checksum_s', 'sha1'),
  to_uuid: toUuid,
  quote,
  urldecode,
  urlsplit,
};
