import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFactStore } from '../../src/facts/cache/index.js';
import { encodeFacts } from '../../src/facts/cache/json_codec.js';
import { ansibleJsonLoads } from '../../src/vault/ansible_json_decoder.js';
import { PyDict, PyFloat, PyUndefined, PyVault } from '../../src/template/values.js';
import { HostState } from '../../src/executor/host_state.js';

function jsonfile(options: { prefix?: string; timeoutSeconds?: number; readOnly?: boolean } = {}, dir = mkdtempSync(join(tmpdir(), 'fleet-fact-store-'))) {
  const warnings: string[] = [];
  const store = openFactStore({ plugin: 'jsonfile', dir, prefix: options.prefix ?? 'p_', timeoutSeconds: options.timeoutSeconds ?? 86400 }, (message) => warnings.push(message), options.readOnly ?? false);
  return { dir, store, warnings };
}

const facts = (entries: [string, unknown][]) => new PyDict(entries as [string, never][]);

describe('the jsonfile fact store', () => {
  it('writes a host file atomically (0600, no temp file left) and a later run reads it back with its types', async () => {
    const { dir, store } = jsonfile();
    store.save('web1', facts([['b', new PyFloat(1)], ['a', [1, 'é']]]));
    store.save('web1', facts([['b', new PyFloat(2)], ['a', [1, 'é']]]));
    await store.settle();
    expect(readdirSync(dir)).toEqual(['p_web1']);
    expect(statSync(join(dir, 'p_web1')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'p_web1'), 'utf8')).toBe('{\n    "a": [\n        1,\n        "\\u00e9"\n    ],\n    "b": 2.0\n}');
    const again = jsonfile({}, dir).store.load('web1');
    expect(again?.get('b')).toEqual(new PyFloat(2));
  });

  it('lists the directory once: other prefixes and dot files are not hosts; an expired file is no entry, and removing it leaves it as Ansible does', async () => {
    const { dir } = jsonfile();
    writeFileSync(join(dir, 'p_old'), '{"x": 1}');
    writeFileSync(join(dir, 'q_web1'), '{"x": 1}');
    writeFileSync(join(dir, '.p_web1.tmp'), '{"x": 1}');
    const old = new Date(Date.now() - 100_000);
    utimesSync(join(dir, 'p_old'), old, old);
    const { store } = jsonfile({ timeoutSeconds: 50 }, dir);
    expect([store.load('old'), store.load('web1')]).toEqual([undefined, undefined]);
    store.remove('old');
    await store.settle();
    expect(existsSync(join(dir, 'p_old'))).toBe(true);
    expect(jsonfile({ timeoutSeconds: 0 }, dir).store.load('old')?.get('x')).toBe(1);
  });

  it('warns and goes on when a value cannot be written as JSON, leaving no temp file', async () => {
    const { dir, store, warnings } = jsonfile();
    store.save('web1', facts([['x', new PyUndefined("'x' is undefined")]]));
    await store.settle();
    expect(readdirSync(dir)).toEqual([]);
    expect(warnings[0]).toMatch(/^error in 'jsonfile' cache plugin while trying to write to '.*p_web1' : /);
  });

  it('removes a live entry (clear_facts) after the writes queued before it', async () => {
    const { dir, store } = jsonfile();
    store.save('web1', facts([['x', 1]]));
    store.remove('web1');
    await store.settle();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('erases a corrupt file and stops the run, with Ansible\'s warning and error', () => {
    const { dir } = jsonfile();
    writeFileSync(join(dir, 'p_web1'), '{"x": ');
    const { store, warnings } = jsonfile({}, dir);
    expect(() => store.load('web1')).toThrow(`The cache file ${join(dir, 'p_web1')} was corrupt, or did not otherwise contain valid data. It has been removed, so you can re-run your command now.`);
    expect(warnings[0]).toMatch(/^error in 'jsonfile' cache plugin while trying to read .*p_web1 : .*Most likely a corrupt file, so erasing and failing\.$/);
    expect(existsSync(join(dir, 'p_web1'))).toBe(false);
  });

  it('is made when missing; read-only (fleet render) writes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fleet-fact-store-'));
    jsonfile({}, join(root, 'a', 'b'));
    expect(statSync(join(root, 'a', 'b')).isDirectory()).toBe(true);
    const { dir, store } = jsonfile({ readOnly: true });
    store.save('web1', facts([['x', 1]]));
    await store.settle();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('falls back to memory with Ansible\'s warning when the directory cannot be made', () => {
    const warnings: string[] = [];
    const store = openFactStore({ plugin: 'jsonfile', dir: '/proc/no/such', prefix: '', timeoutSeconds: 1 }, (message) => warnings.push(message), false);
    expect(store.load('web1')).toBeUndefined();
    expect(warnings[0]).toMatch(/^error in 'jsonfile' cache plugin while trying to create cache dir \/proc\/no\/such : /);
  });

  it('keeps a vaulted value vaulted on disk ({"__ansible_vault": …}) and vaulted when read back', () => {
    const ciphertext = '$ANSIBLE_VAULT;1.1;AES256\n6162';
    const text = encodeFacts(facts([['secret', new PyVault(ciphertext, () => 'plain')]]));
    expect(text).toBe(`{\n    "secret": {\n        "__ansible_vault": ${JSON.stringify(ciphertext)}\n    }\n}`);
    expect(text).not.toContain('plain');
    const back = (ansibleJsonLoads(text, 'f') as PyDict).get('secret');
    expect(back).toBeInstanceOf(PyVault);
    expect((back as PyVault).ciphertext).toBe(ciphertext);
  });

  it('is where a HostState starts from and writes its facts through to', async () => {
    const { dir } = jsonfile();
    writeFileSync(join(dir, 'p_web1'), '{"ansible_hostname": "web1", "_ansible_facts_gathered": true}');
    const reopened = jsonfile({}, dir).store;
    const host = new HostState('web1', () => new PyDict(), reopened);
    expect(host.facts.get('ansible_hostname')).toBe('web1');
    // clean_facts: internal keys stay under ansible_facts, not as variables of their own.
    expect(host.factsVars().has('_ansible_facts_gathered')).toBe(false);
    expect((host.factsVars().get('ansible_facts') as PyDict).get('_ansible_facts_gathered')).toBe(true);
    host.addFacts(facts([['cached', 1]]));
    await reopened.settle();
    expect(JSON.parse(readFileSync(join(dir, 'p_web1'), 'utf8'))).toEqual({ _ansible_facts_gathered: true, ansible_hostname: 'web1', cached: 1 });
    host.clearFacts();
    await reopened.settle();
    expect(readdirSync(dir)).toEqual([]);
  });
});
