import { randomBytes } from 'node:crypto';
import { connectLocal } from '../connections/local.js';
import { connectSshPersistent, forgetPersistent } from '../connections/keeper/client.js';
import type { Connection } from '../connections/types.js';
import { ConnectionError } from '../errors.js';
import { parseUserland, USERLAND_PROBE, type Userland } from '../shell/userland.js';
import { endpointOf, type ConnectionPlan } from './connection_vars.js';
import { phase } from '../profile/phase.js';
import { lockHost } from './host_lock.js';

const DEFAULT_LOCK_WAIT_SECONDS = 120;

export interface HostConnection {
  connection: Connection;
  userland: Userland;
}

/**
 * One connection per host for the whole run (or until a reset_connection), opened on first
 * use and probed once for its userland; a failed connect is remembered so the host is not
 * retried within the run.
 */
export class ConnectionPool {
  private readonly open = new Map<string, Promise<HostConnection>>();

  private readonly runId = randomBytes(12).toString('hex');

  /**
   * `lockWaitSeconds`: how long to wait for another fleet run to finish with a host (see
   * host_lock.ts); `lock: false` for runs that write nothing (check mode, audits), which
   * must leave the host exactly as it was and need not wait for a converge.
   */
  constructor(
    private readonly lockWaitSeconds = DEFAULT_LOCK_WAIT_SECONDS,
    private readonly lock = true,
  ) {}

  /** Connections `reset` retired, each closed once its host's next connection holds the host lock. */
  private readonly retired = new Map<string, Promise<HostConnection>>();

  /** The plan each open connection was made from (and so where it leads). */
  private readonly plans = new Map<string, ConnectionPlan>();

  /** By endpoint: a kept connection being forgotten (reset), which the next connection there waits for. */
  private readonly forgetting = new Map<string, Promise<void>>();

  /**
   * `plan` is made only when a connection is opened; `endpoint` (cheap) on every use: a host
   * whose connection variables now lead elsewhere than its open connection (set_fact of
   * ansible_host or ansible_port, task vars, add_host, refresh_inventory) retires it, as
   * reset does, and connects there.
   */
  get(key: string, plan: () => ConnectionPlan, endpoint: () => string): Promise<HostConnection> {
    const opened = this.plans.get(key);
    if (this.open.has(key) && opened && endpoint() !== endpointOf(opened)) this.reset(key);
    let pending = this.open.get(key);
    if (!pending) {
      const made = plan();
      pending = this.connect(made);
      this.open.set(key, pending);
      this.plans.set(key, made);
      const retired = this.retired.get(key);
      this.retired.delete(key);
      if (retired) void pending.then(() => closeQuietly(retired), () => closeQuietly(retired));
    }
    return pending;
  }

  /**
   * `meta: reset_connection`: the host's next task logs in anew (and so sees, say, a group
   * it was just added to). The old connection stays open until the new one has taken over
   * the host lock: closing it first would free the lock for another run in between.
   */
  reset(key: string, plan?: () => ConnectionPlan): void {
    const pending = this.open.get(key);
    if (pending) {
      this.open.delete(key);
      this.retired.set(key, pending);
    }
    // A kept connection (ControlPersist), this run's or an earlier one's, would be reused: stop
    // it, as the ssh plugin's reset runs `ssh -O stop` whenever the control socket answers.
    const made = pending ? this.plans.get(key) : plannedOrNone(plan);
    if (made?.kind === 'ssh' && made.persistSeconds !== undefined) this.forgetting.set(endpointOf(made), forgetPersistent(made.target));
  }

  /** Forgets a host's connection (after it dropped) so a later play may reconnect. */
  drop(key: string): void {
    const pending = this.open.get(key);
    this.open.delete(key);
    if (pending) void closeQuietly(pending);
  }

  private async connect(plan: ConnectionPlan): Promise<HostConnection> {
    await this.forgetting.get(endpointOf(plan));
    const connection = plan.kind === 'local' ? await connectLocal(plan.host) : await connectSshPersistent(plan.target, plan.persistSeconds);
    phase(`${connection.host}: connected`);
    const probing = connection.exec(USERLAND_PROBE);
    // Sent behind the probe without waiting for its answer (the shell runs them in order): one
    // round trip instead of two. A failed probe closes the shell, and the lock goes with it.
    const locking = plan.kind === 'ssh' && this.lock ? lockHost(connection, this.lockWaitSeconds, this.runId) : undefined;
    locking?.catch(() => undefined);
    const probe = await probing;
    phase(`${connection.host}: userland probed`);
    if (probe.rc !== 0) {
      await connection.close();
      throw new ConnectionError(`${connection.host}: the userland probe failed (rc=${probe.rc}): ${probe.stderr.trim()}`);
    }
    if (locking) {
      try {
        await locking;
      } catch (error) {
        await connection.close();
        throw error;
      }
    }
    return { connection, userland: parseUserland(connection.host, probe.stdout) };
  }

  async closeAll(): Promise<void> {
    const all = [...this.open.values(), ...this.retired.values()];
    this.open.clear();
    this.retired.clear();
    await Promise.all(all.map(closeQuietly));
  }
}

/** The plan, or none when the host's connection variables cannot make one (the connect that follows says why). */
function plannedOrNone(plan: (() => ConnectionPlan) | undefined): ConnectionPlan | undefined {
  try {
    return plan?.();
  } catch {
    return undefined;
  }
}

/** Closes a pooled connection; one that never opened, or fails to close, needs nothing more. */
function closeQuietly(pending: Promise<HostConnection>): Promise<void> {
  return pending.then((c) => c.connection.close()).catch(() => undefined);
}
