import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getHost, HostSelector, hostsOfGroup, hostVarsFromInventory, loadInventory } from '../../src/inventory/index.js';
import { fromPy } from '../../src/template/values.js';
import { loadGroupVars, loadHostVars } from '../../src/vars/host_group_vars.js';

/**
 * The programmatic API other layers use (the vars layer, the executor), on the same
 * fixtures whose ansible-inventory output ansible_parity.test.ts checks.
 */

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const varsDir = join(fixtures, 'vars');

describe('host_group_vars', () => {
  it('reads a group_vars directory recursively in sorted order, later files overriding', () => {
    const vars = loadGroupVars(varsDir, 'db');
    expect([...vars.entries()]).toEqual([
      ['a', 10],
      ['b', 20],
      ['c', 30],
      ['d', 30],
    ]);
  });

  it('takes the first of <name>, <name>.yml, <name>.yaml, <name>.json, a directory included', () => {
    expect(fromPy(loadGroupVars(varsDir, 'prod'))).toEqual({ prod_dir: 1 });
    expect(fromPy(loadGroupVars(varsDir, 'web'))).toEqual({ source: 'group_vars_web', web_list: [1, 2] });
    expect(fromPy(loadGroupVars(varsDir, 'all'))).toEqual({ source: 'group_vars_all', all_only: true });
    expect(fromPy(loadHostVars(varsDir, 'web2'))).toEqual({ inline: 'host_vars', host_only: { k: 'v' } });
  });

  it('finds nothing for unknown names and for absolute-path names', () => {
    expect(loadGroupVars(varsDir, 'nope').size).toBe(0);
    expect(loadHostVars(varsDir, '/etc/passwd').size).toBe(0);
    expect(loadGroupVars(join(fixtures, 'ini'), 'web').size).toBe(0);
  });

  it('caches each lookup', () => {
    expect(loadGroupVars(varsDir, 'db')).toBe(loadGroupVars(varsDir, 'db'));
  });
});

describe('inventory model', () => {
  const loaded = loadInventory([join(varsDir, 'hosts.ini')]);
  const inv = loaded.inventory;

  it('records each host with its groups and the file it came from', () => {
    const web2 = inv.hosts.get('web2');
    expect([...(web2?.groups ?? [])].sort()).toEqual(['all', 'prod', 'web']);
    expect(fromPy(web2?.vars ?? null)).toEqual({
      inventory_file: join(varsDir, 'hosts.ini'),
      inventory_dir: varsDir,
      inline: 'host',
    });
    expect(inv.groups.get('web')?.depth).toBe(2);
    expect(inv.groups.get('prod')?.depth).toBe(1);
    expect(loaded.inventoryDirs).toEqual([varsDir]);
  });

  it('makes an implicit localhost on reference, outside all', () => {
    expect(inv.hosts.has('localhost')).toBe(false);
    const local = getHost(inv, 'localhost');
    expect(local?.implicit).toBe(true);
    expect(local?.vars.get('ansible_connection')).toBe('local');
    expect(hostsOfGroup(inv, 'all').map((h) => h.name)).toEqual(['web1', 'web2', 'db1']);
  });

  it('layers inventory vars, group_vars and host_vars in Ansible precedence', () => {
    const web2 = inv.hosts.get('web2');
    if (!web2) throw new Error('web2 missing');
    const vars = fromPy(hostVarsFromInventory(inv, web2, { inventoryDirs: loaded.inventoryDirs })) as Record<string, unknown>;
    // group_vars/web.yml beats [web:vars]; host_vars/web2.yml beats the inline host var.
    expect(vars.source).toBe('group_vars_web');
    expect(vars.inline).toBe('host_vars');
    expect(vars.prod_dir).toBe(1);
    expect(vars.all_only).toBe(true);
  });
});

describe('play host order', () => {
  const inv = loadInventory([join(fixtures, 'ini', 'hosts')]).inventory;
  const selector = new HostSelector(inv);
  const names = (order?: string): string[] => selector.getHosts('prod', order).map((h) => h.name);

  it('keeps inventory order by default and applies the play keyword otherwise', () => {
    const inventoryOrder = names();
    expect(names('inventory')).toEqual(inventoryOrder);
    expect(names('reverse_inventory')).toEqual([...inventoryOrder].reverse());
    expect(names('sorted')).toEqual([...inventoryOrder].sort());
    expect(names('reverse_sorted')).toEqual([...inventoryOrder].sort().reverse());
    expect(names('shuffle').sort()).toEqual([...inventoryOrder].sort());
  });

  it("rejects an unknown order with Ansible's message", () => {
    expect(() => names('random')).toThrow("Invalid 'order' specified for inventory hosts: random");
  });
});
