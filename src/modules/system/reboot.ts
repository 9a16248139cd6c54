import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, FleetError } from '../../errors.js';
import { factsFromRecords, factsScript, familiesFor } from '../../facts/index.js';
import { quote } from '../../shell/quote.js';
import { Script } from '../../shell/script.js';
import { pyRepr, pyStr } from '../../template/python/index.js';
import type { PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { lowLevelOutput, lowLevelScript } from './low-level.js';
import { bootTimeCommand, shutdownArguments, shutdownProgram, testCommand, type Distribution } from './reboot-commands.js';

// plugins/action/reboot.py: _VALID_ARGS, read raw from the task's arguments.
const spec: ArgSpec = {
  options: {
    boot_time_command: { type: 'raw' },
    connect_timeout: { type: 'raw' },
    msg: { type: 'raw' },
    post_reboot_delay: { type: 'raw' },
    pre_reboot_delay: { type: 'raw' },
    reboot_command: { type: 'raw' },
    reboot_timeout: { type: 'raw' },
    search_paths: { type: 'raw' },
    test_command: { type: 'raw' },
  },
  actionValidArgs: true,
};

const DEFAULT_REBOOT_TIMEOUT = 600;
const DEFAULT_SEARCH_PATHS = ['/sbin', '/bin', '/usr/sbin', '/usr/bin', '/usr/local/sbin'];
/** do_until_success_or_timeout's backoff: 2**failures seconds (at most this), plus up to a second. */
const MAX_FAIL_SLEEP_SECONDS = 12;

/** _check_delay: int() of the value, negative as zero. */
function delaySeconds(value: PyValue | undefined): number {
  const seconds = value === undefined || value === null ? 0 : Math.trunc(Number(pyStr(value)));
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

/** check_type_str(allow_conversion=False): only a string will do. */
function commandText(args: Map<string, PyValue>, name: string): string | undefined {
  const value = args.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new FleetError(`Invalid value given for '${name}': '${pyRepr(value)}' is not a string and conversion is not allowed.`);
  return value;
}

/** check_type_list: a string is split at commas, a number is one item. */
function searchPaths(value: PyValue | undefined): string[] {
  if (value === undefined || value === null) return DEFAULT_SEARCH_PATHS;
  if (Array.isArray(value)) return value.map((item) => pyStr(item));
  if (typeof value === 'string') return value.split(',');
  if (typeof value === 'number') return [String(value)];
  throw new FleetError(`'search_paths' must be a string or flat list of strings, got ${pyRepr(value)}`);
}

/** `_low_level_execute_command`: the text run by /bin/sh, its rc and output (the task's become applies). */
async function lowLevel(ctx: ModuleContext, command: string): Promise<{ rc: number; stdout: string; stderr: string }> {
  return lowLevelOutput(await ctx.remote(lowLevelScript(command, null)));
}

/** get_distribution: setup's distribution facts (the action runs setup with gather_subset=min for them). */
async function distributionOf(ctx: ModuleContext): Promise<Distribution> {
  const families = familiesFor(new Set(['distribution']));
  const output = await ctx.remote(Script.raw(factsScript(ctx.userland, families)), { readOnly: true });
  const facts = factsFromRecords(output.fields, families);
  const text = (name: string) => pyStr(facts.get(name) ?? '').toLowerCase();
  return { name: text('distribution'), version: text('distribution_version').split('.')[0] ?? '', family: text('os_family') };
}

/** get_system_boot_time: the command's stripped output; a failing command is the action's error. */
async function bootTime(ctx: ModuleContext, action: string, command: string): Promise<string> {
  const result = await lowLevel(ctx, command);
  if (result.rc !== 0) throw new FleetError(`${action}: failed to get host boot time info, rc: ${result.rc}, stdout: ${result.stdout}, stderr: ${result.stderr}`);
  return result.stdout.trim();
}

/**
 * The path of the shutdown program: reboot_command's first word or the distribution's; a bare
 * name is looked for, as the find module would, in search_paths (each an existing directory
 * holding an entry of that name; the name is matched literally, not as find's fnmatch pattern).
 */
async function shutdownPath(ctx: ModuleContext, program: string, paths: string[]): Promise<string> {
  if (program.startsWith('/')) return program;
  const candidates = paths.map((dir) => `${dir.replace(/\/+$/, '')}/${program}`);
  const output = await ctx.remote(Script.raw(`for fleet_p in ${candidates.map(quote).join(' ')}; do if [ -e "$fleet_p" ] || [ -L "$fleet_p" ]; then fleet_emit path "$fleet_p"; break; fi; done`), { readOnly: true });
  const found = output.fields.get('path')?.[0];
  if (found === undefined) throw new FleetError(`Unable to find command "${program}" in search paths: ${pyRepr(paths)}`);
  return found;
}

/** datetime.utcnow().isoformat(): microseconds, no zone. */
function utcIsoformat(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000`;
}

/**
 * do_until_success_or_timeout: `attempt` until it succeeds or `timeout` seconds passed, logging
 * in anew after a connection failure and sleeping with backoff after any failure.
 */
async function untilSuccess(ctx: ModuleContext, description: string, timeout: number, attempt: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeout * 1000;
  let failures = 0;
  while (Date.now() < deadline) {
    try {
      await attempt();
      return;
    } catch (error) {
      // Ansible's ssh logs in anew for each command, so a connection the reboot dropped costs
      // it no wait: log in and try again at once; only a second failure backs off.
      if (error instanceof ConnectionError && ctx.reconnect) {
        try {
          await ctx.reconnect();
          await attempt();
          return;
        } catch {
          // the backoff below
        }
      }
      const jitter = Math.floor(Math.random() * 1001) / 1000;
      await sleep((Math.min(2 ** failures, MAX_FAIL_SLEEP_SECONDS) + jitter) * 1000);
      failures += 1;
    }
  }
  throw new TimedOut(`Timed out waiting for ${description} (timeout=${timeout})`);
}

class TimedOut extends Error {}

/**
 * reboot: runs the shutdown command (a connection dropped by it counts as success), then waits
 * for the boot time to change and the test command to pass, logging in anew as needed. On a
 * local connection it refuses (it would reboot the controller); in check mode it only says it
 * would reboot. connect_timeout is accepted: each new login uses the host's own timeout.
 */
export const reboot: ModuleDef = {
  name: 'reboot',
  spec,
  supportsCheckMode: true,
  invocation: false,
  async run(args, ctx): Promise<ModuleResult> {
    const action = ctx.action ?? 'reboot';
    if (ctx.transport?.() === 'local') return { changed: false, elapsed: 0, rebooted: false, failed: true, msg: `Running ${action} with local connection would reboot the control node.` };
    if (ctx.check) return { changed: true, elapsed: 0, rebooted: true };
    const distribution = await distributionOf(ctx);
    const bootCommand = commandText(args, 'boot_time_command') || bootTimeCommand(distribution);
    let previousBoot: string;
    try {
      previousBoot = await bootTime(ctx, action, bootCommand);
    } catch (error) {
      return { failed: true, reboot: false, msg: error instanceof Error ? error.message : String(error) };
    }
    const rebootCommand = commandText(args, 'reboot_command');
    const preDelay = delaySeconds(args.get('pre_reboot_delay'));
    const program = await shutdownPath(ctx, rebootCommand === undefined ? shutdownProgram(distribution) : (rebootCommand.split(' ', 1)[0] as string), searchPaths(args.get('search_paths')));
    const shutdownArgs = rebootCommand === undefined ? shutdownArguments(distribution, preDelay, pyStr(args.get('msg') ?? 'Reboot initiated by Ansible')) : rebootCommand.includes(' ') ? rebootCommand.slice(rebootCommand.indexOf(' ') + 1) : '';
    let outcome = { rc: 0, stdout: '', stderr: '' };
    try {
      outcome = await lowLevel(ctx, `${program} ${shutdownArgs}`);
    } catch (error) {
      // The host going down with the connection is the reboot working.
      if (!(error instanceof ConnectionError)) throw error;
    }
    const start = new Date();
    const elapsed = () => Math.floor((Date.now() - start.getTime()) / 1000);
    if (outcome.rc !== 0) {
      return { start: utcIsoformat(start), failed: true, rebooted: false, msg: `Reboot command failed. Error was: '${outcome.stdout.trim()}, ${outcome.stderr.trim()}'`, elapsed: elapsed() };
    }
    const postDelay = delaySeconds(args.get('post_reboot_delay'));
    if (postDelay) await sleep(postDelay * 1000);
    const timeout = Math.trunc(Number(pyStr(args.get('reboot_timeout') ?? DEFAULT_REBOOT_TIMEOUT)));
    const test = commandText(args, 'test_command') ?? testCommand(distribution);
    try {
      await untilSuccess(ctx, 'last boot time check', timeout, async () => {
        const current = await bootTime(ctx, action, bootCommand);
        if (current === '' || current === previousBoot) throw new Error('boot time has not changed');
      });
      await untilSuccess(ctx, 'post-reboot test command', timeout, async () => {
        const result = await lowLevel(ctx, test);
        if (result.rc !== 0) throw new Error(`Test command failed: ${result.stderr} ${result.stdout}`);
      });
    } catch (error) {
      if (!(error instanceof TimedOut)) throw error;
      return { failed: true, rebooted: true, msg: error.message, elapsed: elapsed() };
    }
    return { rebooted: true, changed: true, elapsed: elapsed() };
  },
};
