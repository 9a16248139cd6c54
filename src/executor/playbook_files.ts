import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { FleetError } from '../errors.js';

/**
 * PlaybookCLI.run's check of each playbook named, before the inventory or anything else is
 * loaded: it must be there and be a file (or a FIFO), named in the error as it was given.
 */
export function requirePlaybookFiles(playbooks: readonly string[], cwd: string): void {
  for (const playbook of playbooks) {
    const stat = statSync(resolve(cwd, playbook), { throwIfNoEntry: false });
    if (stat === undefined) throw new FleetError(`the playbook: ${playbook} could not be found`);
    if (!stat.isFile() && !stat.isFIFO()) throw new FleetError(`the playbook: ${playbook} does not appear to be a file`);
  }
}
