import { Command, CommanderError } from 'commander';
import { FleetError, exitCodeOf } from '../errors.js';
import { errorOutput, errorReport } from '../errors_report.js';
import { currentDisplayLog } from '../output/display_log.js';
import { commands } from './commands.js';
import { phase } from '../profile/phase.js';
import { versionText } from './version.js';
import { reportUsageErrorsLikeArgparse, USAGE_ERROR_EXIT } from './usage_errors.js';

/**
 * Exit codes follow ansible-playbook's: 0 ok, 1 error (4 a parser error: exitCodeOf), 2 host failed
 * or a command line argparse refuses, 4 unreachable, 5 bad options (AnsibleOptionsError), 250 unexpected.
 */
export const EXIT = { ok: 0, error: 1, failed: 2, unreachable: 4, badOptions: 5, badUsage: USAGE_ERROR_EXIT, unexpected: 250 } as const;

export function buildProgram(): Command {
  const program = new Command('fleet')
    .description('Run Ansible playbooks as idempotent POSIX shell over one SSH connection per host')
    .version(versionText(), '--version', "show fleet's version and exit")
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  reportUsageErrorsLikeArgparse(program);
  return program;
}

/**
 * `fleet apply … | head`: once the reader is gone, output stops and the run goes on to its
 * end and exit code, as ansible-playbook's does (its callbacks warn of the broken pipe),
 * instead of dying on an unhandled EPIPE halfway through a run.
 */
function keepRunningWhenStdoutCloses(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.stdout.write = () => true;
    process.stderr.write('[WARNING]: standard output was closed (broken pipe); the run goes on without printing\n');
  });
}

export async function main(argv: string[]): Promise<void> {
  phase('cli: modules loaded');
  keepRunningWhenStdoutCloses();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return EXIT.ok;
    // commander.* codes are the command line the parser refused; fleet.* ones carry their own code.
    return err.code.startsWith('commander.') ? EXIT.badUsage : err.exitCode;
  }
  if (err instanceof FleetError) {
    process.stderr.write(errorOutput(err));
    currentDisplayLog()?.record(`ERROR! ${errorReport(err)}`);
    return exitCodeOf(err);
  }
  process.stderr.write(`ERROR! unexpected: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  return EXIT.unexpected;
}
