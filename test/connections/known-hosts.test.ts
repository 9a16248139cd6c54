import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkHostKey,
  entryMatchesHost,
  hostLookupName,
  keyTypeOfBlob,
  parseKnownHosts,
  sha256Fingerprint,
  type PresentedKey,
} from '../../src/connections/known_hosts.js';

const dir = mkdtempSync(join(tmpdir(), 'fleet-known-hosts-'));

function newKey(name: string, type = 'ed25519'): { line: string; presented: PresentedKey; file: string } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file]);
  const [keyType, base64] = readFileSync(`${file}.pub`, 'utf8').split(' ');
  return { line: `${keyType} ${base64}`, presented: { keyType: keyType!, key: Buffer.from(base64!, 'base64') }, file };
}

/** What OpenSSH itself finds for a name: `ssh-keygen -F` exits 0 when some line matches. */
function opensshFinds(file: string, name: string): boolean {
  try {
    execFileSync('ssh-keygen', ['-F', name, '-f', file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let alpha: ReturnType<typeof newKey>;
let beta: ReturnType<typeof newKey>;
let gamma: ReturnType<typeof newKey>;

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  alpha = newKey('alpha');
  beta = newKey('beta');
  gamma = newKey('gamma', 'ecdsa');
});

describe('known_hosts parsing and host matching', () => {
  it('uses [host]:port for non-22 ports', () => {
    expect(hostLookupName('127.0.1.1', 22)).toBe('127.0.1.1');
    expect(hostLookupName('127.0.1.1', 2222)).toBe('[127.0.1.1]:2222');
  });

  it('matches comma lists, wildcards and negations like ssh-keygen -F', () => {
    const file = join(dir, 'patterns');
    const text = [
      '# comment',
      '',
      `web1,[127.0.1.5]:2222 ${alpha.line}`,
      `*.example.com,!bad.example.com ${beta.line} trailing comment`,
      `db? ${gamma.line}`,
      'garbage line',
    ].join('\n');
    writeFileSync(file, text);
    const entries = parseKnownHosts(text);
    expect(entries.map((e) => e.line)).toEqual([3, 4, 5]);
    const names = ['web1', 'WEB1', '[127.0.1.5]:2222', '127.0.1.5', '[127.0.1.5]:22', 'a.example.com', 'bad.example.com', 'db1', 'db12', 'web2'];
    for (const name of names) {
      const ours = entries.some((entry) => entryMatchesHost(entry, name));
      expect({ name, matches: ours }).toEqual({ name, matches: opensshFinds(file, name) });
    }
  });

  it('matches entries hashed by ssh-keygen -H', () => {
    const file = join(dir, 'hashed');
    writeFileSync(file, `[127.0.1.7]:2222 ${alpha.line}\nplainhost ${beta.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const entries = parseKnownHosts(readFileSync(file, 'utf8'));
    expect(entries.every((entry) => entry.hostField.startsWith('|1|'))).toBe(true);
    expect(checkHostKey(entries, '[127.0.1.7]:2222', alpha.presented).kind).toBe('known');
    expect(checkHostKey(entries, 'plainhost', beta.presented).kind).toBe('known');
    expect(checkHostKey(entries, '127.0.1.7', alpha.presented).kind).toBe('unknown');
    expect(checkHostKey(entries, '[127.0.1.7]:2223', alpha.presented).kind).toBe('unknown');
  });
});

describe('checkHostKey', () => {
  it('accepts any of several keys listed for one host', () => {
    const entries = parseKnownHosts(`h ${alpha.line}\nh ${gamma.line}\n`);
    expect(checkHostKey(entries, 'h', alpha.presented).kind).toBe('known');
    expect(checkHostKey(entries, 'h', gamma.presented).kind).toBe('known');
  });

  it('reports a changed key with every expected entry of that type', () => {
    const entries = parseKnownHosts(`other ${beta.line}\nh ${alpha.line}\nh ${gamma.line}\n`);
    const verdict = checkHostKey(entries, 'h', beta.presented);
    expect(verdict.kind).toBe('changed');
    if (verdict.kind === 'changed') expect(verdict.expected.map((e) => e.line)).toEqual([2]);
  });

  it('treats a host known only by another key type as unknown for this type', () => {
    const verdict = checkHostKey(parseKnownHosts(`h ${gamma.line}\n`), 'h', alpha.presented);
    expect(verdict).toMatchObject({ kind: 'unknown', otherKeys: [{ keyType: 'ecdsa-sha2-nistp256' }] });
  });

  it('refuses a @revoked key even when it is also listed as known', () => {
    const entries = parseKnownHosts(`h ${alpha.line}\n@revoked * ${alpha.line}\n`);
    expect(checkHostKey(entries, 'h', alpha.presented)).toMatchObject({ kind: 'revoked', entry: { line: 2 } });
    expect(checkHostKey(entries, 'h', beta.presented).kind).toBe('changed');
  });

  it('reports @cert-authority lines for the host instead of trusting them', () => {
    const verdict = checkHostKey(parseKnownHosts(`@cert-authority *.corp ${beta.line}\n`), 'db.corp', alpha.presented);
    expect(verdict).toMatchObject({ kind: 'unknown', certAuthorities: [{ line: 1, marker: 'cert-authority' }] });
  });
});

describe('fingerprints', () => {
  it('match ssh-keygen -l', () => {
    for (const key of [alpha, gamma]) {
      const openssh = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${key.file}.pub`], { encoding: 'utf8' }).split(' ')[1];
      expect(sha256Fingerprint(key.presented.key)).toBe(openssh);
      expect(keyTypeOfBlob(key.presented.key)).toBe(key.presented.keyType);
    }
  });
});
