import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { CommanderError } from 'commander';
import { runPull } from '../../pull/run_pull.js';
import { EXIT } from '../main.js';
import type { PullFlags } from '../pull.js';
import { sinkFor } from '../sink.js';

/** `fleet pull`: update the checkout, then apply it to this machine. */
export async function pullAction(playbooks: string[], flags: PullFlags): Promise<void> {
  const sleepSeconds = Number(flags.sleep ?? 0);
  if (!Number.isInteger(sleepSeconds) || sleepSeconds < 0) throw new CommanderError(EXIT.badOptions, 'fleet.sleep', `--sleep must be a whole number of seconds, got ${flags.sleep}`);
  // Progress goes to stderr under --json so stdout stays one JSON document.
  const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  say(`Starting fleet pull at ${new Date().toISOString()}`);
  const result = await runPull(
    {
      url: flags.url,
      directory: resolve(flags.directory ?? join(homedir(), '.fleet', 'pull', hostname())),
      playbooks,
      inventory: flags.inventory,
      onlyIfChanged: flags.onlyIfChanged === true,
      clean: flags.clean === true,
      sleepSeconds,
      check: flags.check === true,
      diff: flags.diff === true,
      tags: flags.tags,
      skipTags: flags.skipTags,
      extraVars: flags.extraVars,
      verbose: flags.verbose,
      ...(flags.checkout ? { checkout: flags.checkout } : {}),
      ...(flags.limit ? { limit: flags.limit } : {}),
    },
    sinkFor(flags.json === true, flags.verbose),
    say,
  );
  if (result.skipped) (result.exitCode === 0 ? say : (line: string) => process.stderr.write(`${line}\n`))(result.skipped);
  process.exitCode = result.exitCode;
}
