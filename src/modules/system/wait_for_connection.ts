import { setTimeout as sleep } from 'node:timers/promises';
import { sh } from '../../shell/script.js';
import type { ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';

// plugins/action/wait_for_connection.py: _VALID_ARGS, each read through int().
const spec: ArgSpec = {
  options: {
    connect_timeout: { type: 'int', default: 5 },
    delay: { type: 'int', default: 0 },
    sleep: { type: 'int', default: 1 },
    timeout: { type: 'int', default: 600 },
  },
  actionValidArgs: true,
};

/** The action's ping module test: a new login, then the host's shell must echo `pong`. */
async function pingOnce(ctx: ModuleContext): Promise<void> {
  if (!ctx.reconnect) throw new Error('wait_for_connection needs a connection it can reset');
  await ctx.reconnect();
  const output = await ctx.remote(sh`fleet_emit ping ${'pong'}`);
  if (output.rc !== 0 || !output.fields.has('ping') || field(output, 'ping') !== 'pong') throw new Error('ping test failed');
}

/**
 * wait_for_connection: after `delay`, logs in anew and pings until that works or `timeout`
 * seconds have passed, sleeping `sleep` seconds after each failure. A host that cannot be
 * reached meanwhile is waited for, not UNREACHABLE. Ansible's `connect_timeout` only reaches
 * connections with a transport test (winrm, psrp); for ssh and local it has no effect, nor here.
 */
export const waitForConnection: ModuleDef = {
  name: 'wait_for_connection',
  spec,
  supportsCheckMode: true,
  connectsItself: true,
  invocation: false,
  async run(args, ctx): Promise<ModuleResult> {
    if (ctx.check) return { skipped: true };
    const delay = args.get('delay') as number;
    const pause = args.get('sleep') as number;
    const timeout = args.get('timeout') as number;
    const started = Date.now();
    if (delay) await sleep(delay * 1000);
    const deadline = Date.now() + timeout * 1000;
    const result: ModuleResult = {};
    let error: unknown;
    let connected = false;
    while (!connected && Date.now() < deadline) {
      try {
        await pingOnce(ctx);
        connected = true;
      } catch (caught) {
        error = caught;
        await sleep(pause * 1000);
      }
    }
    if (!connected) {
      result.failed = true;
      result.msg = `timed out waiting for ping module test: ${error instanceof Error ? error.message : String(error)}`;
    }
    // timedelta.seconds: whole seconds, rounded down.
    result.elapsed = Math.floor((Date.now() - started) / 1000);
    return result;
  },
};
