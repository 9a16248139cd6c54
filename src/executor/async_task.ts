import { setTimeout as sleep } from 'node:timers/promises';
import type { Args } from '../modules/argspec.js';
import { field } from '../modules/remote.js';
import { asyncDirOf, asyncStatus } from '../modules/system/async_status.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../modules/types.js';
import type { AsyncJobEvent } from '../output/events.js';
import type { Script } from '../shell/script.js';
import { jsonDumps } from '../template/filters/json.js';
import type { PyDict } from '../template/values.js';
import { launchScript } from './async_job.js';

/** A task's `async:` and `poll:` in seconds. */
export interface AsyncJob {
  seconds: number;
  poll: number;
}

type AsyncEvents = (event: Omit<AsyncJobEvent, 'host'>) => void;

/** The module's one script, taken when the module sends it, so it runs as the job instead. */
class ScriptTaken {
  constructor(readonly script: Script) {}
}

/**
 * The module run as an async job (ActionBase._execute_module with wrap_async, then
 * TaskExecutor._poll_async_result): started detached on the host; with `poll: 0` the result
 * says where to find it; otherwise async_status is asked every `poll` seconds until the job
 * finished or `async` seconds of polls went by, and the job file is cleaned up once read.
 */
export async function runAsyncJob(def: ModuleDef, given: PyDict, args: Args, ctx: ModuleContext, job: AsyncJob, events: AsyncEvents): Promise<ModuleResult> {
  let script: Script;
  try {
    // A module that refuses its arguments before it sends anything answers as it would have in the job.
    return await def.run(args, { ...ctx, remote: (taken) => Promise.reject(new ScriptTaken(taken)) });
  } catch (error) {
    if (!(error instanceof ScriptTaken)) throw error;
    script = error.script;
  }
  const launched = await ctx.remote(launchScript({ module: script, moduleName: def.name, argsJson: jsonDumps(given), asyncDir: asyncDirOf(ctx), limitSeconds: job.seconds }));
  if (!launched.fields.has('jid')) {
    const dir = field(launched, 'mkdir_failed');
    const msg = dir ? `could not create directory: ${dir}` : `could not write the job file ${field(launched, 'write_failed')}`;
    return { failed: true, msg };
  }
  const jid = field(launched, 'jid');
  // _execute_module sets `changed` on every async start "for backwards compat".
  // async_wrapper answers `failed: 0`, an int, which stays in what is registered.
  const started = { failed: 0, started: 1, finished: 0, ansible_job_id: jid, results_file: field(launched, 'results_file'), changed: true } as Record<string, unknown> as ModuleResult;
  // The normal action marks setup's result, the job's start here (what async_status reads back is unmarked).
  if (def.name === 'setup') started._ansible_verbose_override = true;
  if (job.poll <= 0) return started;
  const result = await pollJob(ctx, jid, job, events);
  const failed = result.failed === true;
  const asyncResult = result.async_result as ModuleResult | undefined;
  events({ kind: failed ? 'failed' : 'ok', jid: result.ansible_job_id ?? asyncResult?.ansible_job_id });
  return result;
}

async function pollJob(ctx: ModuleContext, jid: string, job: AsyncJob, events: AsyncEvents): Promise<ModuleResult> {
  let status: ModuleResult = {};
  for (let timeLeft = job.seconds; timeLeft > 0; ) {
    await sleep(job.poll * 1000);
    status = await asyncStatus(ctx, jid, 'status');
    if (Number(status.finished) === 1 || 'failed' in status || 'skipped' in status) break;
    timeLeft -= job.poll;
    events({ kind: 'poll', jid: status.ansible_job_id, started: status.started, finished: status.finished });
  }
  if (Number(status.finished) !== 1) return { failed: true, msg: `async task did not complete within the requested time - ${job.seconds}s`, async_result: status };
  await asyncStatus(ctx, jid, 'cleanup');
  return status;
}
