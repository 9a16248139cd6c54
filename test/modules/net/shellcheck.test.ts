import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { findModule } from '../../../src/modules/index.js';
import type { ExecScript } from '../../../src/modules/remote.js';
import { filesLib } from '../../../src/modules/files/shell-lib.js';
import { inlineLibraries } from '../../../src/shell/libraries.js';
import { prelude } from '../../../src/shell/prelude.js';
import type { Userland } from '../../../src/shell/userland.js';
import { localUserland, makeContext, runModule } from '../files/harness.js';

const macos: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin mac.local 23.1.0', home: '/Users/admin' };

/** Argument sets that between them take every branch of the request script's rendering. */
const URI_CASES: Record<string, unknown>[] = [
  { url: 'http://example.invalid/a' },
  { url: 'http://example.invalid/a', dest: '/tmp/out', creates: '/tmp/c', removes: '/tmp/r', mode: '0600' },
  { url: 'http://example.invalid/a', method: 'POST', body_format: 'json', body: { a: 1 }, headers: { 'X-Quote': `it's "$HOME"` } },
  { url: 'http://example.invalid/a', method: 'HEAD', url_username: 'u', url_password: 'p$w', force_basic_auth: true, validate_certs: false },
  { url: 'http://example.invalid/a', method: 'PUT', body: 'x', follow_redirects: 'all', use_proxy: false, decompress: false, timeout: 0, ca_path: '/ca', client_cert: '/c', client_key: '/k', unix_socket: '/s' },
];

async function shellcheck(texts: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-net-'));
  try {
    const paths = texts.map((text, index) => {
      const path = join(dir, `script-${index}.sh`);
      writeFileSync(path, text);
      return path;
    });
    // As for the other modules: SC2016 (literal `$` in quoted values is meant), SC2034 and
    // SC2317 (libraries define more than one script uses), SC2154 (variables the shared
    // libraries taken out of the scripts set).
    return (await execa('shellcheck', ['-s', 'sh', '-e', 'SC2016,SC2034,SC2154,SC2317', ...paths], { reject: false })).stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const GET_URL_CASES: Record<string, unknown>[] = [
  { url: 'http://example.invalid/f', dest: '/tmp/f', mode: '0640', checksum: 'sha256:ab01' },
  { url: 'http://example.invalid/f', dest: '/tmp/', force: true, backup: true, headers: { A: 'b' } },
];

/**
 * A host that answers every request script with a 200 (its directory kept for dest), so the
 * scripts sent after it are rendered too; nothing runs.
 */
function answeringHost(scripts: string[]): ExecScript {
  return async (script, options = {}) => {
    scripts.push(inlineLibraries(script, options.libraries));
    const nonce = /^fleet_rec=(\S+)/.exec(script)?.[1] ?? '';
    if (!script.includes('curl "$@"')) return { rc: 0, stdout: '', stderr: '' };
    const record = (key: string, value: string) => `\n${nonce} ${key}\n${value}\n${nonce}.\n`;
    const stdout = [record('http_rc', '0'), record('http_out', '200 0 0.01 http://example.invalid/f'), record('http_headers', 'HTTP/1.1 200 OK\r\nContent-Length: 1\r\n'), record('http_dir', '/tmp/fleet-http.x'), record('http_body', 'eA==')].join('');
    return { rc: 0, stdout, stderr: '' };
  };
}

async function renderedScripts(userland: Userland): Promise<string[]> {
  const scripts: string[] = [];
  const ctx = makeContext({ cwd: tmpdir(), controllerDir: tmpdir(), userland, exec: answeringHost(scripts) });
  for (const args of URI_CASES) await runModule(findModule('uri')!, args, ctx);
  for (const args of GET_URL_CASES) await runModule(findModule('get_url')!, args, ctx);
  await runModule(findModule('get_url')!, GET_URL_CASES[0]!, { ...ctx, check: true });
  // The checksum file's fetch (its answer holds no usable checksum, so nothing follows).
  await runModule(findModule('get_url')!, { url: 'http://example.invalid/f', dest: '/tmp/f', checksum: 'sha256:http://example.invalid/sums' }, ctx);
  // The prelude and the file modules' library are checked with the file modules (files/shellcheck.test.ts).
  const shared = [prelude(userland), filesLib(userland).text()];
  return scripts.map((script) => shared.reduce((text, library) => text.split(library).join(''), script));
}

describe('uri and get_url render scripts that pass shellcheck -s sh', () => {
  it('requests and writes to dest (Linux and macOS)', async () => {
    const scripts = [...(await renderedScripts(localUserland())), ...(await renderedScripts(macos))];
    // uri: a request each, and a write for the case with dest; get_url: a request and a
    // finish each, and the checksum file's fetch.
    expect(scripts.length).toBe(2 * (URI_CASES.length + 1 + 2 * (GET_URL_CASES.length + 1) + 1));
    // One shellcheck process for all of them.
    expect(await shellcheck(scripts)).toBe('');
  });
});
