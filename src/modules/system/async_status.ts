import { DEFAULT_ASYNC_DIR, RESULT_HEADER, statusScript } from '../../executor/async_job.js';
import { jsonLoads } from '../../template/filters/json.js';
import { fromPy, PyDict } from '../../template/values.js';
import { parseRecords } from '../../shell/records.js';
import { validateArgs, type Args, type ArgSpec } from '../argspec.js';
import { findModule } from '../index.js';
import { invocationFor } from '../invocation.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';

// plugins/action/async_status.py's argument_spec (the module's `_async_dir` comes from the action).
const spec: ArgSpec = {
  options: {
    jid: { type: 'str', required: true },
    mode: { type: 'str', choices: ['status', 'cleanup'], default: 'status' },
  },
};

/** The sh shell plugin's async_dir: the ansible_async_dir variable, then ANSIBLE_ASYNC_DIR / [defaults] async_dir, then `~/.ansible_async`. */
export function asyncDirOf(ctx: Pick<ModuleContext, 'vars' | 'templar' | 'asyncDir'>): string {
  const variable = ctx.vars.get('ansible_async_dir');
  if (variable !== undefined && variable !== null) return String(ctx.templar.template(variable));
  return ctx.asyncDir ?? DEFAULT_ASYNC_DIR;
}

/**
 * What async_status returns for job `jid`: the action's defaults (async_status.py's action
 * plugin) under what the module says — a running job's file, a finished job's result (the
 * module's own result, from its records), or "could not find job".
 */
export async function asyncStatus(ctx: ModuleContext, jid: string, mode: 'status' | 'cleanup'): Promise<ModuleResult> {
  // The action expands async_dir on the host even in check mode, where the module, which has no check mode, is skipped.
  const output = await ctx.remote(statusScript(jid, ctx.check ? 'status' : mode, asyncDirOf(ctx)));
  const dir = field(output, 'dir');
  const path = `${dir}/${jid}`;
  const base: ModuleResult = { started: mode === 'cleanup' ? 0 : 1, finished: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], ansible_job_id: jid };
  if (mode === 'cleanup') base.erased = path;
  else base.results_file = path;
  const invocation = { module_args: { _async_dir: dir, jid, mode } };
  if (ctx.check) return { ...base, changed: false, skipped: true, msg: 'remote module (ansible.legacy.async_status) does not support check mode', invocation };
  if (output.fields.has('missing')) return { ...base, failed: true, msg: 'could not find job', ansible_job_id: jid, started: 1, finished: 1, invocation };
  if (mode === 'cleanup') return { ...base, ansible_job_id: jid, erased: path, invocation };
  const content = field(output, 'content');
  if (content.startsWith(RESULT_HEADER)) return { ...base, ...(await finishedResult(ctx, content)), finished: 1, ansible_job_id: jid };
  const data = jobFileData(content);
  // async_status.py: a file it cannot parse is a job still being written; one without `started` is a result.
  if (data === null) return { ...base, results_file: path, ansible_job_id: jid, started: 1, finished: 0, invocation };
  if (!('started' in data)) Object.assign(data, { finished: 1, ansible_job_id: jid });
  else if (!('finished' in data)) data.finished = 0;
  return { ...base, ...data, invocation };
}

function jobFileData(content: string): Record<string, unknown> | null {
  try {
    const parsed = jsonLoads(content);
    return parsed instanceof PyDict ? (fromPy(parsed) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The job's module result: its run() given the records the job left, as if it had just answered. */
async function finishedResult(ctx: ModuleContext, content: string): Promise<ModuleResult> {
  const newline = content.indexOf('\n');
  const nonce = content.slice(RESULT_HEADER.length, newline);
  const { fields, stray } = parseRecords(content.slice(newline), nonce);
  const recorded = (key: string): string => fields.get(key)?.[0] ?? '';
  const name = recorded('async_module');
  const def = findModule(name);
  if (!def) return { failed: true, msg: `the job ran ${name}, which this fleet does not know` };
  const given = jsonLoads(recorded('async_args'));
  const rawArgs = given instanceof PyDict ? given : new PyDict();
  const args: Args = validateArgs(def.spec, rawArgs, name);
  const answer: RemoteOutput = { rc: Number(recorded('async_rc')), fields, stray, stderr: recorded('async_stderr'), timedOut: false };
  let answered = false;
  // ModuleDef.asyncJob promises one script; a second one would get the first one's records.
  const remote = (): Promise<RemoteOutput> => {
    if (answered) return Promise.reject(new Error(`fleet's ${name} sent a second script after its async job's, so it cannot be an async job (ModuleDef.asyncJob)`));
    answered = true;
    return Promise.resolve(answer);
  };
  const result = await def.run(args, { ...ctx, check: false, remote });
  // The normal action's mark on setup's result (setup.ts): the job file holds the module's result alone.
  delete result._ansible_verbose_override;
  const invocation = 'invocation' in result ? null : invocationFor(def, rawArgs, args, ctx);
  if (invocation) result.invocation = invocation;
  return result;
}

export const asyncStatusModule: ModuleDef = {
  name: 'async_status',
  spec,
  supportsCheckMode: true,
  invocation: false,
  run: (args, ctx) => asyncStatus(ctx, String(args.get('jid')), args.get('mode') === 'cleanup' ? 'cleanup' : 'status'),
};
