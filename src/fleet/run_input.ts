import type { LoadedInventory } from '../inventory/index.js';
import type { Playbook } from '../playbook/model.js';
import type { PyDict } from '../template/values.js';

/** What the fleet checks read of a run, all of it known before any host is contacted. */
export interface FleetRunInput {
  inventory: LoadedInventory;
  /** `-i` values as given (files, directories or host lists), relative to cwd. */
  inventorySources: string[];
  playbooks: Playbook[];
  extraVars: PyDict;
  /** `-e` values as given: `@file` ones are scanned as files. */
  extraVarsArgs: string[];
  cwd: string;
  /** `--limit`: the run targets only these of the plays' hosts. */
  limit?: string;
}
