import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/index.js';
import { chooseSnapshot, parseSnapshotList } from '../../src/rollback/snapshots.js';
import { rollbackHosts } from '../../src/rollback/targets.js';

const inventory = (() => {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-rollback-targets-')), 'hosts.yml');
  writeFileSync(file, 'all:\n  children:\n    wizards:\n      children:\n        vps:\n          hosts: {allegro: {}, ezra: {}}\n        mac:\n          hosts: {timmy: {}}\n    infra:\n      hosts: {forge: {}}\n');
  return loadInventory([file]).inventory;
})();
const hosts = (limit: string) => rollbackHosts(inventory, limit, () => {});

describe('the wizards fleet rollback --limit names', () => {
  it('are exactly the wizards the pattern matches', () => {
    expect(hosts('ezra')).toEqual(['ezra']);
    expect(hosts('vps')).toEqual(['allegro', 'ezra']);
    expect(hosts('wizards:!timmy')).toEqual(['allegro', 'ezra']);
    expect(hosts('e*,timmy')).toEqual(['ezra', 'timmy']);
  });

  it('refuse every host, an empty match and hosts that are no wizards', () => {
    expect(() => hosts('all')).toThrow('--limit all would roll back every wizard; name the hosts or groups to roll back');
    expect(() => hosts('*')).toThrow(/would roll back every wizard/);
    expect(() => hosts('ezra,all')).toThrow(/would roll back every wizard/);
    expect(() => hosts('nosuch')).toThrow('--limit nosuch matches no host of the inventory');
    expect(() => hosts('ezra:forge')).toThrow('--limit ezra:forge matches hosts outside the wizards group, which have no agent to roll back: forge');
  });
});

describe('the snapshots deadman list prints', () => {
  const sha = (digit: string) => digit.repeat(64);

  it('are read oldest first, skipping lines that are no snapshot a template or path could hide in', () => {
    const listed = parseSnapshotList(`20000101T000000Z ${sha('a')}\n2{{ x }}Z ${sha('b')}\n2../Z ${sha('b')}\n20261127T031000Z ${sha('c')}\n`);
    expect(listed).toEqual([
      { name: '20000101T000000Z', sha256: sha('a') },
      { name: '20261127T031000Z', sha256: sha('c') },
    ]);
  });

  it('choose the latest, the named one, or say clearly that there is none', () => {
    const listed = parseSnapshotList(`20000101T000000Z ${sha('a')}\n20261127T031000Z ${sha('c')}\n`);
    expect(chooseSnapshot('ezra', listed, undefined)).toEqual({ name: '20261127T031000Z', sha256: sha('c') });
    expect(chooseSnapshot('ezra', listed, '20000101T000000Z')).toEqual({ name: '20000101T000000Z', sha256: sha('a') });
    expect(chooseSnapshot('ezra', listed, 'nosuch')).toBe('ezra has no snapshot nosuch (snapshots: 20000101T000000Z, 20261127T031000Z; see fleet rollback --list)');
    expect(chooseSnapshot('ezra', [], undefined)).toBe('ezra has no last-known-good snapshot to roll back to');
  });
});
