import type { Command } from 'commander';
import { ConnectionKeeper } from '../connections/keeper/server.js';

/**
 * `fleet connection-keeper SOCKET`: the background process that keeps SSH connections between
 * runs (see connections/keeper/server.ts). Runs start it; it is not for people, so help leaves
 * it out.
 */
export function registerKeeperCommand(program: Command): void {
  program
    .command('connection-keeper <socket>', { hidden: true })
    .description('keep SSH connections open between runs (started by runs)')
    .action(async (socket: string) => {
      // Another run's keeper already answers there: this one is not needed.
      if (!(await new ConnectionKeeper(socket).listen())) process.exit(0);
    });
}
