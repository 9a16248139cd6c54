/** The repository's fleet content, and throwaway copies of it that a test may break. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadExtraVars } from '../../src/executor/extra_vars.js';
import type { FleetRunInput } from '../../src/fleet/index.js';
import { loadInventory } from '../../src/inventory/index.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { repoRoot } from '../support/sandbox.js';

const CONTENT = ['BANNED_PROVIDERS.yml', 'inventory', 'playbooks', 'roles', 'group_vars', 'sandbox'];

const copies: string[] = [];

/** A copy of the fleet content (symlinks kept as they are) in a new temp dir; removeCopies() deletes it. */
export function copyOfContent(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-content-'));
  copies.push(dir);
  for (const name of CONTENT) cpSync(join(repoRoot, name), join(dir, name), { recursive: true, verbatimSymlinks: true });
  return dir;
}

export function removeCopies(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** What prepareRun hands the fleet checks, for an inventory and playbook under `root`. */
export function runInput(root: string, inventory: string, playbook: string, extraVarsArgs: string[] = []): FleetRunInput {
  const extraVars = loadExtraVars(extraVarsArgs, root);
  return {
    inventory: loadInventory([resolve(root, inventory)]),
    inventorySources: [inventory],
    playbooks: [loadPlaybook(resolve(root, playbook), { rolesPath: [], extraVars })],
    extraVars,
    extraVarsArgs,
    cwd: root,
  };
}
