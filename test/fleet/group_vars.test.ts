/**
 * The top-level group_vars/ reaches every host under both tools: stock Ansible reads
 * group_vars/ only next to the inventory or the playbook, so inventory/group_vars and
 * playbooks/group_vars are relative symlinks to it.
 */
import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostVarsFromInventory, loadInventory } from '../../src/inventory/index.js';
import { fromPy } from '../../src/template/values.js';
import { hasAnsible } from '../apply/support.js';
import { repoRoot } from '../support/sandbox.js';

const inventories = { real: join(repoRoot, 'inventory/hosts.yml'), sandbox: join(repoRoot, 'sandbox/inventory.yml') };
const playbooks = join(repoRoot, 'playbooks');

function fleetHostVars(inventory: string, host: string, playbookDirs: string[]): Record<string, unknown> {
  const loaded = loadInventory([inventory]);
  const found = loaded.inventory.hosts.get(host);
  if (!found) throw new Error(`no host ${host}`);
  return fromPy(hostVarsFromInventory(loaded.inventory, found, { inventoryDirs: loaded.inventoryDirs, playbookDirs })) as Record<string, unknown>;
}

function ansibleHostVars(inventory: string, host: string, playbookDir?: string): Record<string, unknown> {
  const args = ['-i', inventory, '--host', host, ...(playbookDir ? ['--playbook-dir', playbookDir] : [])];
  return JSON.parse(execFileSync('ansible-inventory', args, { encoding: 'utf8', cwd: '/' })) as Record<string, unknown>;
}

describe('the top-level group_vars', () => {
  it('is linked next to the inventory and the playbooks by relative symlinks', () => {
    expect(readlinkSync(join(repoRoot, 'inventory/group_vars'))).toBe('../group_vars');
    expect(readlinkSync(join(playbooks, 'group_vars'))).toBe('../group_vars');
    expect(readlinkSync(join(playbooks, 'roles'))).toBe('../roles');
  });

  it('gives fleet the golden state through the inventory and through the playbook directory', () => {
    const real = fleetHostVars(inventories.real, 'ezra', []);
    expect((real['provider_chain'] as { model: string }[]).map((entry) => entry.model)).toEqual(['kimi-k2.5', 'google/gemini-2.5-pro', 'gemma4:latest']);
    expect(real['agent_service_manager']).toBe('systemd');
    const sandbox = fleetHostVars(inventories.sandbox, 'timmy', [playbooks]);
    expect((sandbox['deadman'] as { interval_minutes: number }).interval_minutes).toBe(5);
    expect(sandbox['agent_service_manager']).toBe('pidfile');
    expect(fleetHostVars(inventories.sandbox, 'timmy', [])['deadman']).toBeUndefined();
  });

  it.skipIf(!hasAnsible())('gives ansible-inventory the same variables', () => {
    const real = ansibleHostVars(inventories.real, 'ezra');
    expect(real['provider_chain']).toEqual(fleetHostVars(inventories.real, 'ezra', [])['provider_chain']);
    expect(real['wizard_cron_jobs']).toEqual(fleetHostVars(inventories.real, 'ezra', [])['wizard_cron_jobs']);
    const sandbox = ansibleHostVars(inventories.sandbox, 'timmy', playbooks);
    expect(sandbox['deadman']).toEqual(fleetHostVars(inventories.sandbox, 'timmy', [playbooks])['deadman']);
    expect(sandbox['agent_service_manager']).toBe('pidfile');
  });
});
