import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { hostVarsFromInventory, loadInventory, unparsedReason } from '../../src/inventory/index.js';

/**
 * Inventories no plugin parses: Ansible warns "Failed to parse … with yaml/ini plugin" and goes
 * on without them, and so does fleet (test/config/unparsed_inventory.test.ts compares the
 * warnings); what `fleet validate` reports for each is the reason Ansible gives, at
 * file:line:col. What fleet cannot read as Ansible would (scripts, plugin configurations) is
 * refused.
 */

const errors = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'errors');

/** The error loading the source throws, or else the reason its first unparsed source was not parsed. */
function failureOf(run: () => ReturnType<typeof loadInventory>): ValidationError {
  let unparsed;
  try {
    unparsed = run().unparsed[0];
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  const reason = unparsed && unparsedReason(unparsed);
  if (!reason) throw new Error('expected a ValidationError or an unparsed source');
  return reason;
}

const cases: Array<[file: string, line: number, col: number, message: string | RegExp]> = [
  ['hosts-list.yml', 5, 9, 'Invalid "hosts" entry for "web" group, requires a dictionary, found "<class \'ansible.parsing.yaml.objects.AnsibleSequence\'>" instead.'],
  ['host-int.yml', 3, 5, 'Host pattern 1 must be a string. Enclose integers/floats in quotation marks.'],
  ['host-vars-scalar.yml', 3, 9, 'host h1 needs a mapping of variables (or nothing), found an integer'],
  ['range-unequal.yml', 3, 5, /host range must specify equal-length begin and end formats/],
  ['cycle.yml', 3, 5, "Adding group 'b' as child to 'a' creates a recursive dependency loop."],
  ['plugin.yml', 1, 1, /inventory plugin configuration files are not supported/],
  ['syntax.yml', 3, 1, /^YAML syntax error/],
  ['bad-host-line.ini', 3, 1, 'Expected key=value host variable assignment, got: novalue'],
  ['range-no-end.ini', 2, 1, /host range must specify end value/],
  ['cycle.ini', 5, 1, "Adding group 'a' as child to 'b' creates a recursive dependency loop."],
  ['vars-undefined.ini', 4, 1, 'Section [nope:vars] not valid for undefined group: nope'],
  ['children-undefined.ini', 2, 1, 'Section [web:children] includes undefined group: missing'],
  ['bad-section.ini', 1, 1, /^Invalid section entry: '\[bad section\]'/],
  ['unknown-section-type.ini', 4, 1, 'Section [web:wat] has unknown type: wat'],
  ['unclosed-quote.ini', 2, 1, "Error parsing host definition 'web1 x='unclosed': No closing quotation"],
];

describe('why a bad inventory is not parsed, at file:line:col', () => {
  for (const [file, line, col, message] of cases) {
    it(file, () => {
      const err = failureOf(() => loadInventory([join(errors, file)]));
      expect(err.location).toEqual({ file: join(errors, file), line, col });
      if (typeof message === 'string') expect(err.message).toBe(message);
      else expect(err.message).toMatch(message);
    });
  }

  it('a group_vars file that is not a mapping', () => {
    const loaded = loadInventory([join(errors, 'listvars', 'hosts')]);
    const host = loaded.inventory.hosts.get('w1');
    if (!host) throw new Error('w1 missing');
    let err: unknown;
    try {
      hostVarsFromInventory(loaded.inventory, host, { inventoryDirs: loaded.inventoryDirs });
    } catch (thrown) {
      err = thrown;
    }
    if (!(err instanceof ValidationError)) throw new Error('expected a ValidationError');
    expect(err.message).toBe('a vars file must be a mapping of variable names to values');
    expect(err.location).toEqual({ file: join(errors, 'listvars', 'group_vars', 'web.yml'), line: 1, col: 1 });
  });

  it('an executable file that is not a script (no #!) is read by the plugins after the script plugin', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-inventory-'));
    const script = join(dir, 'inventory.sh');
    writeFileSync(script, 'h1 a=1\n');
    chmodSync(script, 0o755);
    expect([...loadInventory([script]).inventory.hosts.keys()]).toEqual(['h1']);
  });

  it('a vault-encrypted inventory file without vault secrets is not parsed, as in Ansible, not read as INI hosts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-inventory-'));
    const vaulted = join(dir, 'hosts');
    writeFileSync(vaulted, '$ANSIBLE_VAULT;1.1;AES256\n6231\n');
    const loaded = loadInventory([vaulted]);
    expect(loaded.inventory.hosts.size).toBe(0);
    const err = failureOf(() => loaded);
    expect(err.message).toBe('Attempting to decrypt but no vault secrets found');
    expect(err.location).toEqual({ file: vaulted, line: 1, col: 1 });
  });

  it('a source that does not exist', () => {
    const missing = join(errors, 'no-such-file');
    expect(failureOf(() => loadInventory([missing])).message).toBe(`inventory source not found: ${missing}`);
  });
});
