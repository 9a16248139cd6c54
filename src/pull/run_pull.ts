import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { applyOptionsFrom, optionsOrError } from '../cli/apply.js';
import { applyPlaybooks } from '../executor/run_playbooks.js';
import { DEFAULT_PULL_PLAYBOOK } from './default_playbook.js';
import type { RunEvents } from '../output/events.js';
import { updateCheckout } from './git_checkout.js';
import { acquireLock } from './lock.js';

export interface PullOptions {
  url: string;
  checkout?: string;
  directory: string;
  playbooks: string[];
  /** Relative to the checkout; default inventory/hosts.yml there, else `localhost,`. */
  inventory: string[];
  limit?: string;
  onlyIfChanged: boolean;
  clean: boolean;
  /** Most seconds to sleep, at random, before starting (spreads cron runs of many hosts). */
  sleepSeconds: number;
  check: boolean;
  diff: boolean;
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  verbose: number;
}

export interface PullResult {
  exitCode: number;
  /** Why the playbook did not run, when it did not. */
  skipped?: string;
}

const DEFAULT_INVENTORY = 'inventory/hosts.yml';

/** The commit of the last run that applied without failures, kept inside .git so the tree stays clean. */
function appliedMarker(directory: string): string {
  return join(directory, '.git', 'fleet-pull-applied');
}

/**
 * ansible-pull's names for the machine itself: its inventory entry may be any of them.
 * https://github.com/ansible/ansible/blob/v2.14.0/lib/ansible/cli/pull.py (run: limit_opts)
 */
function ownNames(): string {
  const node = hostname();
  return [...new Set(['localhost', node, node.split('.')[0] as string, '127.0.0.1'])].join(',');
}

/**
 * `fleet pull`: lock, update the checkout, then apply the playbook to this machine over the
 * local connection. With onlyIfChanged the playbook runs only for a commit not yet applied
 * successfully, so a failed run is retried by the next one (ansible-pull would skip it).
 */
export async function runPull(options: PullOptions, events: RunEvents, say: (line: string) => void): Promise<PullResult> {
  mkdirSync(dirname(options.directory), { recursive: true });
  const lock = acquireLock(`${options.directory}.lock`);
  if (!lock.acquired) return { exitCode: 1, skipped: `another fleet pull (pid ${lock.holder}) is running for ${options.directory}` };
  // Killed (cron's timeout, Ctrl-C): leave no lock behind, exit as the shell reports a signal.
  const releaseOnSignal = (signal: NodeJS.Signals) => {
    lock.release();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGTERM', releaseOnSignal);
  process.once('SIGINT', releaseOnSignal);
  try {
    if (options.sleepSeconds > 0) {
      const seconds = Math.floor(Math.random() * (options.sleepSeconds + 1));
      say(`Sleeping for ${seconds} seconds...`);
      await new Promise((done) => setTimeout(done, seconds * 1000));
    }
    const checkout = await updateCheckout({ url: options.url, dir: options.directory, clean: options.clean, ...(options.checkout ? { ref: options.checkout } : {}) });
    say(checkout.before === checkout.after ? `${options.directory} stays at ${checkout.after}` : `${options.directory} is at ${checkout.after} (was ${checkout.before ?? 'not cloned'})`);
    const marker = appliedMarker(options.directory);
    if (options.onlyIfChanged && existsSync(marker) && readFileSync(marker, 'utf8').trim() === checkout.after) {
      return { exitCode: 0, skipped: `${checkout.after} is already applied; nothing to do` };
    }
    // The checkout's ansible.cfg is read here: a setting fleet refuses is printed (exit 5), one it ignores is warned about.
    const applyOpts = optionsOrError(() => applyOptions(options, (message) => events.warning(message)));
    events.callbackOptions?.(applyOpts.callback);
    const result = await applyPlaybooks(applyOpts, events);
    if (result.exitCode === 0 && !options.check) {
      writeFileSync(`${marker}.tmp`, `${checkout.after}\n`);
      renameSync(`${marker}.tmp`, marker);
    }
    return { exitCode: result.exitCode };
  } finally {
    process.off('SIGTERM', releaseOnSignal);
    process.off('SIGINT', releaseOnSignal);
    lock.release();
  }
}

function applyOptions(options: PullOptions, warn: (message: string) => void) {
  const dir = options.directory;
  const inventory =
    options.inventory.length > 0
      ? options.inventory.map((source) => (existsSync(resolve(dir, source)) ? resolve(dir, source) : source))
      : [existsSync(join(dir, DEFAULT_INVENTORY)) ? join(dir, DEFAULT_INVENTORY) : 'localhost,'];
  return applyOptionsFrom(
    options.playbooks.length > 0 ? options.playbooks : [DEFAULT_PULL_PLAYBOOK],
    {
      inventory,
      limit: options.limit ?? ownNames(),
      check: options.check,
      diff: options.diff,
      tags: options.tags,
      skipTags: options.skipTags,
      // ansible-pull's `-c local`: whatever the inventory says, this machine is reached directly.
      extraVars: [...options.extraVars, 'ansible_connection=local'],
      verbose: options.verbose,
    },
    process.env,
    dir,
    warn,
  );
}
