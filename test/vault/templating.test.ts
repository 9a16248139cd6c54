/**
 * A `!vault` value in templates behaves as Ansible's AnsibleVaultEncryptedUnicode: its
 * plaintext for printing, filters, methods, slicing, `in` and `==` (either side), yet still
 * `vault_encrypted` and not a `string`. Expected values are ansible-playbook's own output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretRegistry } from '../../src/secrets/registry.js';
import { pyStr } from '../../src/template/python/index.js';
import { Templar } from '../../src/template/index.js';
import { PyDict } from '../../src/template/values.js';
import { withRunVault } from '../../src/vault/run.js';
import { loadYamlValue } from '../../src/yaml/load.js';
import { hasAnsible } from '../apply/support.js';

const EXPRESSION = [
  '{{ secret }}',
  '{{ secret | upper }}',
  "{{ secret.startswith('s3') }}",
  "{{ 's3cret-value' == secret }}",
  "{{ secret != 'other' }}",
  "{{ 'cret' in secret }}",
  '{{ secret[0:3] }}',
  '{{ secret is string }}',
  "{{ secret.split('-') }}",
  '{{ secret | length }}',
  '{{ secret is vault_encrypted }}',
  '{{ secret | type_debug }}',
  "{{ secret ~ '!' }}",
  '{{ [secret] }}',
  "{{ {'a': secret} | to_json }}",
].join('|');

describe.skipIf(!hasAnsible())('!vault values in templates', () => {
  it('template as ansible-playbook templates them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-vault-templating-'));
    const passwordFile = join(dir, 'pass.txt');
    writeFileSync(passwordFile, 'templating-password\n');
    const block = execFileSync('/usr/bin/ansible-vault', ['encrypt_string', '--vault-password-file', passwordFile, '--name', 'secret', 's3cret-value'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const playbook = join(dir, 'play.yml');
    writeFileSync(
      playbook,
      `- hosts: localhost\n  gather_facts: false\n  vars:\n${block.replace(/^/gm, '    ')}\n  tasks:\n    - debug:\n        msg: ${JSON.stringify(EXPRESSION)}\n`,
    );
    const output = execFileSync('ansible-playbook', ['--vault-password-file', passwordFile, playbook], { cwd: dir, encoding: 'utf8', env: { ...process.env, ANSIBLE_NOCOLOR: '1' }, stdio: ['ignore', 'pipe', 'ignore'] });
    const ansible = JSON.parse(`"${(/"msg": "(.*)"\n/.exec(output) as RegExpExecArray)[1]}"`) as string;

    const sources = { vaultIds: [], passwordFiles: [passwordFile], askVaultPass: false, autoPrompt: false, newPassword: false };
    const ours = await withRunVault(sources, dir, new SecretRegistry(), () => {}, () => {
      const [play] = loadYamlValue(playbook) as PyDict[];
      const vars = (play as PyDict).get('vars') as PyDict;
      return pyStr(new Templar({ vars: new PyDict([['secret', vars.get('secret') ?? null]]) }).template(EXPRESSION));
    });
    expect(ours).toBe(ansible);
    expect(ours.startsWith('s3cret-value|S3CRET-VALUE|True|True|True|True|s3c|False|')).toBe(true);
  }, 120_000);
});
