import { loadExtraVars } from '../../executor/extra_vars.js';
import { listingText } from '../../executor/listing.js';
import { applyPlaybooks, type ApplyOptions } from '../../executor/run_playbooks.js';
import { recordRun } from '../../history/record_run.js';
import { phase } from '../../profile/phase.js';
import { withRunVault } from '../../vault/run.js';
import { becomePasswordVariables } from '../../shell/wrap.js';
import { applyOptionsFrom, optionsOrError, type ApplyFlags, type ApplyRunOptions } from '../apply.js';
import { askPasswords } from './ask_passwords.js';
import { loggedSinkFor, sinkFor } from '../sink.js';
import { versionText } from '../version.js';
import { deprecateOnStderr, warnOnStderr } from '../warn.js';

/** A run stopped by these is recorded as interrupted before fleet dies of the signal. */
const HISTORY_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** A become password given with -e is on the command line the history ledger records from the start: mask it there too. */
function maskBecomePasswordsGiven(extraVars: string[], options: ApplyOptions): void {
  const names = new Set([...becomePasswordVariables('sudo'), ...becomePasswordVariables('su')]);
  for (const value of extraVars) {
    if (value.startsWith('@')) continue;
    let vars;
    try {
      vars = loadExtraVars([value], options.cwd);
    } catch {
      continue; // the run reports it when it loads the extra vars
    }
    for (const [name, secret] of vars) if (names.has(String(name)) && typeof secret === 'string') options.secrets.add(secret);
  }
}

/** What CLI.run prints first: the version at -vv, then the config file in use at -v. */
function announced(options: ApplyRunOptions): string[] {
  const lines = options.verbosity >= 2 ? [versionText()] : [];
  if (options.verbosity >= 1) lines.push(options.configFile ? `Using ${options.configFile} as config file` : 'No config file found; using defaults');
  return lines;
}

/** `fleet apply`: a listing (--list-hosts, --list-tasks, --list-tags, --syntax-check) or a recorded run. */
export async function applyAction(playbooks: string[], flags: ApplyFlags): Promise<void> {
  // The run's modules load on use, after main's `cli: modules loaded`.
  phase('apply: modules loaded');
  const options = optionsOrError(() => applyOptionsFrom(playbooks, flags, process.env, process.cwd(), warnOnStderr, deprecateOnStderr));
  if (flags.listTasks || flags.listTags || flags.listHosts || flags.syntaxCheck) {
    for (const line of announced(options)) process.stdout.write(`${line}\n`);
    const text = await withRunVault(options.vault, options.cwd, options.secrets, warnOnStderr, () => listingText(options, flags, sinkFor(false, options.verbosity)));
    process.stdout.write(text);
    return;
  }
  maskBecomePasswordsGiven(flags.extraVars, options);
  // After the listings, before anything is loaded, as ansible-playbook asks.
  await askPasswords(options.passwords, options);
  const recorded = { command: 'apply', cwd: process.cwd(), env: process.env, argv: process.argv.slice(2), playbooks: options.playbooks, check: options.check, diff: options.diff, verbosity: options.verbosity, signals: HISTORY_SIGNALS, secrets: options.secrets };
  const result = await recordRun(recorded, loggedSinkFor(flags.json === true, options.verbosity, options.callback, options.logPath, (text) => options.secrets.mask(text)), (events) => {
    for (const line of announced(options)) events.announce?.(line);
    return applyPlaybooks(options, events);
  });
  process.exitCode = result.exitCode;
  phase('apply: recorded');
}
