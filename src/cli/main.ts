import { Command, CommanderError } from 'commander';
import { FleetError } from '../errors.js';
import { commands } from './commands.js';
import { phase } from '../profile/phase.js';

/** Exit codes follow ansible-playbook's: 0 ok, 1 error, 2 host failed, 4 unreachable, 5 bad options, 250 unexpected. */
export const EXIT = { ok: 0, error: 1, failed: 2, unreachable: 4, badOptions: 5, unexpected: 250 } as const;

export function buildProgram(): Command {
  const program = new Command('fleet')
    .description('Run Ansible playbooks as idempotent POSIX shell over one SSH connection per host')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  phase('cli: modules loaded');
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.badOptions;
  if (err instanceof FleetError) {
    process.stderr.write(`ERROR! ${err.format()}\n`);
    return EXIT.error;
  }
  process.stderr.write(`ERROR! unexpected: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.unexpected;
}
