import { FleetError, ParserError, TemplateError, type SourceLocation } from '../errors.js';
import { errorReport } from '../errors_report.js';
import { findModule } from '../modules/index.js';
import type { HostResult, ResultData, TaskInfo } from '../output/events.js';
import { checkModeShown } from '../output/callback_options.js';
import { loadIncludedRole, loadIncludedTasks, locateIncludedTasks } from '../playbook/imports.js';
import { contextOf } from '../playbook/context.js';
import { notifiedHandlers } from '../playbook/handlers.js';
import { asList } from '../playbook/lists.js';
import { isTemplate } from '../playbook/validate.js';
import { argsAsWritten } from '../playbook/actions.js';
import { conditionsOf, inherited } from '../playbook/inherit.js';
import { globToRegExp } from '../inventory/fnmatch.js';
import type { Block, Play, Task } from '../playbook/model.js';
import { Templar } from '../template/index.js';
import { pyStr, pyTruthy, PyUndefinedError } from '../template/python/index.js';
import { PyDict, PyFloat, toPy, type PyValue } from '../template/values.js';
import { valuePositionOf } from '../yaml/load.js';
import type { PlayContext, RunContext } from './context.js';
import type { HostState } from './host_state.js';
import { compareOrder, HostIterator, type Step, type StepOutcome } from './iterator.js';
import { rescueFacts, type PendingFailure } from './failed_task.js';
import { failureRescued, failureStands } from './failure_stands.js';
import { includedFiles, includeLabel, isDynamicInclude, type IncludedFile } from './included_files.js';
import { connectionType, planConnection, RESET_NOT_IMPLEMENTED, taskConnectionLookup, type ConnectionPlan } from './connection_vars.js';
import { forEachLimited, Slots } from './limit.js';
import { loopKeyword } from './loop_items.js';
import { applyReturnedFacts } from './result_vars.js';
import { addCustomStats } from './custom_stats.js';
import { factsGathered } from '../facts/cache/index.js';
import { invalidRegisterError, TaskExecutor, type TaskOutcomeForHost } from './run_task.js';
import { whenHolds } from './task_fields.js';
import { hostScope } from './scope.js';
import { statusOf } from './task_result.js';
import { loadVarsFiles } from './vars_files.js';
import { taskSelected } from './tags.js';
import { phase } from '../profile/phase.js';
import type { Strategy } from '../playbook/strategy.js';
import { isMetaAction, META_PER_HOST, META_WITHOUT_WHEN, metaHasWhen, metaHeader, metaRunsFor, metaSkippedResult } from './meta_actions.js';

const unusableHandlerWarnings = new WeakMap<RunContext, Set<string>>();

/** How a flush of handlers left its hosts: those a handler failed on, and those a meta handler ended. */
interface HandlerFlush {
  failed: Set<string>;
  ended: Set<string>;
}

/** Tasks fleet adds (fact gathering, implicit flushes): callbacks never hear of the implicit metas. */
const implicitTasks = new WeakSet<Task>();
/** The implicit fact gathering tasks, Ansible's gather_facts action. */
const gatheringTasks = new WeakSet<Task>();

function syntheticTask(play: Play, action: string, args: PyDict, name: string | null): Task {
  const parent: Block = { kind: 'block', at: play.at, block: [], rescue: [], always: [], keywords: new Map(), parent: null, play, role: null };
  const task: Task = { kind: 'task', at: play.at, name, action, actionAs: action, args, keywords: new Map(), parent, role: null };
  parent.block = [task];
  implicitTasks.add(task);
  return task;
}

function flushBlock(play: Play): Block {
  return syntheticTask(play, 'meta', new PyDict([['_raw_params', 'flush_handlers']]), null).parent;
}

/**
 * Ansible's Play.compile order: facts, pre_tasks, flush, roles + tasks, flush, post_tasks,
 * flush. With force_handlers each part is a block whose `always` is the flush, so a host that
 * failed in it still runs the handlers it was notified for, then stops.
 */
function playSections(play: Play, gatherFacts: boolean, forceHandlers: boolean, defaultSubset: readonly string[] | undefined): Block[] {
  const sections: Block[] = [];
  if (gatherFacts) {
    // PlayIterator: the play's gather_subset, gather_timeout and fact_path are the gathering's arguments.
    const args = new PyDict(['gather_subset', 'gather_timeout', 'fact_path'].flatMap((option) => (play.keywords.has(option) ? [[option, play.keywords.get(option) as PyValue] as const] : [])));
    if (!args.has('gather_subset') && defaultSubset !== undefined) args.set('gather_subset', [...defaultSubset]);
    // Play.gather_subset is a list field: a plain string is one subset, where setup's own argument would split it at its commas.
    const subset = args.get('gather_subset');
    if (typeof subset === 'string' && !subset.includes('{{')) args.set('gather_subset', [subset]);
    const gathering = syntheticTask(play, 'gather_facts', args, 'Gathering Facts');
    gatheringTasks.add(gathering);
    sections.push(gathering.parent);
  }
  if (!forceHandlers) {
    sections.push(play.preTasks, flushBlock(play), play.roles, play.tasks, flushBlock(play), play.postTasks, flushBlock(play));
    return sections;
  }
  for (const parts of [[play.preTasks], [play.roles, play.tasks], [play.postTasks]]) {
    // An empty part still flushes, behind an implicit noop (Play.compile's noop_task).
    const empty = parts.every((part) => part.block.length === 0);
    const body = empty ? [syntheticTask(play, 'meta', new PyDict([['_raw_params', 'noop']]), null)] : parts;
    // The flush is a block of its own in the always (Play.compile's flush_block): a host that
    // failed is in that block's tasks, not in an always, when any_errors_fatal looks (get_active_state).
    sections.push({ ...flushBlock(play), block: body, always: [flushBlock(play)] });
  }
  return sections;
}

/**
 * Task.get_name: the (templated) name or the action, prefixed with the role's name;
 * IncludeRole.get_name: the name, or `include_role : ROLE` (the role as written), unprefixed.
 */
function taskName(task: Task, templar: Templar | null): string {
  const includedRole = task.action === 'include_role' ? (task.args.get('name') ?? task.args.get('role') ?? null) : undefined;
  let name = includedRole === undefined ? task.actionAs : `${task.actionAs} : ${pyStr(includedRole)}`;
  if (task.name !== null) {
    try {
      name = templar ? pyStr(templar.template(task.name)) : task.name;
    } catch {
      name = task.name;
    }
  }
  return task.role && includedRole === undefined ? `${task.role.name} : ${name}` : name;
}

function metaAction(task: Task): string | null {
  if (task.action !== 'meta') return null;
  const raw = task.args.get('_raw_params');
  return typeof raw === 'string' ? raw.trim() : null;
}

/** The callback's host_label parts (`host -> delegate(address)`) from a result's _ansible_delegated_vars. */
function delegationOf(result: ResultData): Pick<HostResult, 'delegatedTo' | 'delegatedAddress'> {
  const delegated = result._ansible_delegated_vars as { ansible_delegated_host?: string; ansible_host?: string } | undefined;
  if (!delegated?.ansible_delegated_host) return {};
  return { delegatedTo: delegated.ansible_delegated_host, delegatedAddress: delegated.ansible_host ?? delegated.ansible_delegated_host };
}

/**
 * A batch under the free or host_pinned strategy: one TaskInfo per task, so results of one
 * task follow each other under one banner; the hosts running a task now; the hosts another's
 * end_play or end_batch ended; the error that ends the run, which stops every host.
 */
interface FreeBatch {
  infos: Map<Task, TaskInfo>;
  busy: Set<string>;
  ended: Set<string>;
  error?: unknown;
}

/**
 * Runs one play batch: with the linear strategy every host does task N before any does N+1;
 * with free (and host_pinned) each host goes through its tasks without waiting for the others.
 */
export class PlayRunner {
  private readonly ctx: PlayContext;
  private free: FreeBatch | null = null;

  constructor(
    private readonly run: RunContext,
    play: Play,
    name: string,
    allHosts: string[],
    selectHosts: () => string[],
    batch: string[],
    removedHosts: Set<string>,
    private readonly strategy: Strategy = 'linear',
  ) {
    this.ctx = { run, play, name, allHosts, selectHosts, batch, varsFiles: new Map(), varsFilesIncomplete: new Set(), removedHosts };
  }

  /** A templar with `host`'s variables as `task` sees them. */
  private hostTemplar(host: HostState, task: Task): Templar {
    return new Templar({ vars: hostScope(this.ctx, host, task) });
  }

  /** The connection plugin `task` reaches `host` by: its templated ansible_connection, the `connection:` keyword, or `-c`. */
  private connectionType(host: HostState, task: Task): string {
    return connectionType(this.connectionLookup(host, task), this.run.connectionDefaults);
  }

  private connectionPlan(host: HostState, task: Task): ConnectionPlan {
    return planConnection(host.name, this.connectionLookup(host, task), this.run.connectionDefaults);
  }

  private connectionLookup(host: HostState, task: Task): (name: string) => PyValue | undefined {
    const scope = hostScope(this.ctx, host, task);
    return taskConnectionLookup(scope, new Templar({ vars: scope }), inherited(task, 'connection'));
  }

  private host(name: string): HostState {
    return this.run.hosts.get(name) as HostState;
  }

  private active(names: string[]): HostState[] {
    return names.map((name) => this.host(name)).filter((host) => !host.failed && !host.unreachable);
  }

  /** Runs the batch; true when the play must stop the whole run (StrategyBase's RUN_FAILED_BREAK_PLAY). */
  async runBatch(gatherFacts: boolean, forceHandlers: boolean): Promise<boolean> {
    for (const host of this.active(this.ctx.batch)) this.readVarsFiles(host, null);
    const sections = playSections(this.ctx.play, gatherFacts, forceHandlers, this.run.options.gatherSubset);
    const iterators = new Map(this.active(this.ctx.batch).map((host) => [host.name, new HostIterator(sections, host.roleRuns)]));
    if (this.strategy === 'linear') return this.runLinear(iterators, 'TASK');
    await this.runFree(iterators, this.strategy === 'host_pinned');
    return false;
  }

  /**
   * free.py: each host takes its next task as soon as it finished the last, at most --forks
   * hosts running one at a time; host_pinned keeps a fork on a host until the host is done. A
   * failure never stops the other hosts: any_errors_fatal and max_fail_percentage only warn.
   */
  private async runFree(iterators: Map<string, HostIterator>, pinned: boolean): Promise<void> {
    const maxFail = this.ctx.play.keywords.get('max_fail_percentage');
    if (maxFail !== undefined && maxFail !== null) this.run.events.warning('Using max_fail_percentage with the free strategy is not supported, as tasks are executed independently on each host');
    const free: FreeBatch = { infos: new Map(), busy: new Set(), ended: new Set() };
    this.free = free;
    const forks = new Slots(this.run.options.forks);
    const goesOn = (host: HostState) => free.error === undefined && !host.failed && !host.unreachable && this.ctx.batch.includes(host.name) && !free.ended.has(host.name);
    const runHost = async (host: HostState, iterator: HostIterator) => {
      for (let step = iterator.peek(); step !== null && goesOn(host); step = iterator.peek()) {
        if (this.ctx.varsFilesIncomplete.has(host.name)) this.readVarsFiles(host, step.task);
        if (!pinned) await forks.take();
        free.busy.add(host.name);
        this.run.events.waiting([...free.busy]);
        let outcomes: Map<string, StepOutcome>;
        try {
          outcomes = await this.runStep(step.task, [host], 'TASK');
        } finally {
          free.busy.delete(host.name);
          this.run.events.waiting([...free.busy]);
          if (!pinned) forks.give();
        }
        const outcome = outcomes.get(host.name) ?? { failed: false };
        iterator.complete(outcome);
        this.recordFailure(host, outcome, failureRescued(step.task));
        if (iterator.peek() === null && iterator.result.failed) host.failed = true;
        // end_play and end_batch end every host of the batch; a host busy with a task finishes it.
        for (const [name, other] of outcomes) if (name !== host.name && other.end) free.ended.add(name);
      }
    };
    const hosts = [...iterators].map(async ([name, iterator]) => {
      if (pinned) await forks.take();
      try {
        await runHost(this.host(name), iterator);
      } catch (error) {
        free.error ??= error;
      } finally {
        if (pinned) forks.give();
      }
    });
    await Promise.all(hosts);
    this.free = null;
    if (free.error !== undefined) throw free.error;
  }

  /** Announces a task to the sinks and gives its TaskInfo: under free, once, when its first host starts it. */
  private startTask(task: Task, host: HostState, prefix: TaskInfo['prefix']): TaskInfo {
    if (this.free === null) {
      const info = this.taskInfo(task, host, prefix);
      this.run.events.taskStart(info);
      return info;
    }
    let info = this.free.infos.get(task);
    if (info === undefined) {
      info = { ...this.taskInfo(task, host, prefix), bannerOnResult: true };
      this.free.infos.set(task, info);
      this.run.events.taskStart(info);
    }
    return info;
  }

  /** The host's vars_files as the task (none at the batch's start) sees them. */
  private readVarsFiles(host: HostState, task: Task | null): void {
    const { vars, complete } = loadVarsFiles(this.ctx, host, task);
    this.ctx.varsFiles.set(host.name, vars);
    if (complete) this.ctx.varsFilesIncomplete.delete(host.name);
    else this.ctx.varsFilesIncomplete.add(host.name);
  }

  /** Steps the hosts' iterators in lock-step; true when the play must stop the whole run. */
  private async runLinear(iterators: Map<string, HostIterator>, prefix: TaskInfo['prefix']): Promise<boolean> {
    for (;;) {
      const pending: [HostState, Step][] = [];
      for (const [name, iterator] of iterators) {
        const host = this.host(name);
        if (host.failed || host.unreachable || !this.ctx.batch.includes(name)) continue;
        const step = iterator.peek();
        if (step) pending.push([host, step]);
      }
      if (pending.length === 0) break;
      pending.sort((a, b) => compareOrder(a[1].order, b[1].order));
      const first = (pending[0] as [HostState, Step])[1];
      const group = pending.filter(([, step]) => step.task === first.task).map(([host]) => host);
      for (const host of group) if (this.ctx.varsFilesIncomplete.has(host.name)) this.readVarsFiles(host, first.task);
      const outcomes = await this.runStep(first.task, group, prefix);
      for (const host of group) {
        const iterator = iterators.get(host.name) as HostIterator;
        const outcome = outcomes.get(host.name) ?? { failed: false };
        iterator.complete(outcome);
        this.recordFailure(host, outcome, failureRescued(first.task));
        if (iterator.peek() === null && iterator.result.failed) host.failed = true;
      }
      if (this.handlersBrokePlay || (this.free === null && this.breaksPlay(first.task, group, outcomes, iterators))) return true;
    }
    return false;
  }

  /** A handler's failure under any_errors_fatal (or max_fail_percentage) ended the play. */
  private handlersBrokePlay = false;

  /**
   * linear.py after each task: any_errors_fatal fails every host left on a failure,
   * max_fail_percentage does when too many hosts of the batch failed; either breaks the play.
   */
  private breaksPlay(task: Task, group: HostState[], outcomes: Map<string, StepOutcome>, iterators: Map<string, HostIterator>): boolean {
    let breakPlay = false;
    const goesOn = (host: HostState) => inRescueOrAlways(iterators.get(host.name)?.peek() ?? null);
    // A failure a block still handles does not count (PlayIterator.is_failed), and a host
    // whose next task is in a rescue or always goes on to it (linear.py's dont_fail_states).
    if (this.anyErrorsFatal(task) && failureStands(task) && group.some((host) => outcomes.get(host.name)?.failed)) {
      for (const host of this.active(this.ctx.batch)) {
        if (goesOn(host)) continue;
        host.failed = true;
        breakPlay = true;
      }
      // The failed hosts are among linear.py's hosts_left too: with no host left to go on, the play breaks.
      if (this.active(this.ctx.batch).length === 0) breakPlay = true;
    }
    const maxFail = inherited(task, 'max_fail_percentage') ?? this.ctx.play.keywords.get('max_fail_percentage');
    if (maxFail !== undefined && maxFail !== null && metaAction(task) === null) {
      const failed = [...this.run.hosts.values()].filter((host) => host.failed).length;
      if (failed / this.ctx.batch.length > Number(pyStr(maxFail)) / 100) {
        for (const host of this.active(this.ctx.batch)) host.failed = true;
        this.run.events.noHostsRemaining();
        breakPlay = true;
      }
    }
    if (!breakPlay) return false;
    const left = this.ctx.batch.filter((name) => !this.host(name).unreachable).length;
    if ([...this.run.hosts.values()].filter((host) => host.failed).length >= left) this.run.events.noHostsRemaining();
    return true;
  }

  private pendingFailures = new Map<string, PendingFailure>();

  private recordFailure(host: HostState, outcome: StepOutcome, rescued: boolean): void {
    const failure = this.pendingFailures.get(host.name);
    this.pendingFailures.delete(host.name);
    if (!failure || !outcome.failed) return;
    // PlayIterator.mark_host_failed removes the host from the play; a rescue puts it back.
    if (rescued) this.ctx.removedHosts.delete(host.name);
    else this.ctx.removedHosts.add(host.name);
    this.run.stats.increment(rescued ? 'rescued' : 'failures', host.name);
    if (!rescued) return;
    const templar = this.hostTemplar(host, failure.task);
    for (const [name, value] of rescueFacts(failure, templar)) host.setFacts.set(name, value);
  }

  /** linear.py reads any_errors_fatal as written, untemplated: any text is true, `"{{ false }}"` too. */
  private anyErrorsFatal(task: Task): boolean {
    return pyTruthy(inherited(task, 'any_errors_fatal') ?? null);
  }

  /**
   * linear.py templates `run_once` with the first host's variables before the task starts; an
   * undefined variable there is no task's failure but the run's end (AnsibleUndefinedVariable).
   */
  private runsOnce(task: Task, first: HostState): boolean {
    const raw = inherited(task, 'run_once');
    if (raw === undefined || raw === null || typeof raw === 'boolean') return raw === true;
    try {
      return pyTruthy(this.hostTemplar(first, task).template(raw));
    } catch (error) {
      if (error instanceof PyUndefinedError) throw new FleetError(error.ansibleText, { cause: error });
      throw error;
    }
  }

  private async runStep(task: Task, hosts: HostState[], prefix: TaskInfo['prefix']): Promise<Map<string, StepOutcome>> {
    const meta = metaAction(task);
    const outcomes = new Map<string, StepOutcome>(hosts.map((host) => [host.name, { failed: false }]));
    if (!this.startReached(task)) return outcomes;
    // Block.filter_tagged_tasks keeps the implicit metas whatever the tags; a meta the playbook wrote is selected as any task is.
    if (meta !== null) return implicitTasks.has(task) || hosts.some((host) => this.tagsSelect(task, host)) ? this.runMeta(meta, task, hosts, prefix) : outcomes;
    const selected = hosts.filter((host) => this.gathersOn(task, host) && this.tagsSelect(task, host));
    if (selected.length === 0) return outcomes;
    const runOnce = this.runsOnce(task, selected[0] as HostState);
    const bypassHostLoop = findModule(task.action)?.bypassHostLoop === true;
    if (this.free) this.freeWarnings(task, runOnce, bypassHostLoop);
    const info = this.startTask(task, selected[0] as HostState, prefix);
    phase(`task start: ${info.name}`);
    // BYPASS_HOST_LOOP (add_host): once, on the first host, which alone registers and counts the result.
    const targets = runOnce || bypassHostLoop ? selected.slice(0, 1) : selected;
    const waiting = new Set(targets.map((host) => host.name));
    const showWaiting = () => {
      if (!this.free) this.run.events.waiting([...waiting]);
    };
    showWaiting();
    const results = new Map<string, ResultData>();
    await forEachLimited(targets, this.concurrency(task, selected[0] as HostState), async (host) => {
      const { outcome, result } = await this.runOnHost(task, host, info, runOnce);
      results.set(host.name, result);
      waiting.delete(host.name);
      showWaiting();
      if (runOnce) {
        for (const other of selected.slice(1)) outcomes.set(other.name, { failed: outcome.failed });
        // Under free the task runs on every host, each sharing its result with the whole batch.
        this.shareRegistered(task, host, this.free ? this.active(this.ctx.batch) : selected);
      }
      outcomes.set(host.name, outcome);
    });
    this.expandIncludes(task, info, targets, results, outcomes);
    phase(`task end: ${info.name}`);
    return outcomes;
  }

  /** A run-once task's registered result, on each of `hosts` (StrategyBase.get_task_hosts). */
  private shareRegistered(task: Task, from: HostState, hosts: HostState[]): void {
    const register = task.keywords.get('register');
    const registered = from.setFacts.get(typeof register === 'string' ? register : '');
    if (typeof register !== 'string' || registered === undefined) return;
    for (const other of hosts) if (other !== from) other.setFacts.set(register, registered);
  }

  /**
   * What free.py says as it queues a task for a host: a module that bypasses the host loop
   * ends the run; run_once and any_errors_fatal only warn (the task runs on every host).
   */
  private freeWarnings(task: Task, runOnce: boolean, bypassHostLoop: boolean): void {
    if (bypassHostLoop) {
      throw new FleetError(`The '${task.actionAs}' module bypasses the host loop, which is currently not supported in the free strategy and would instead execute for every host in the inventory list.`, { location: task.at });
    }
    if (runOnce) this.run.events.warning('Using run_once with the free strategy is not currently supported. This task will still be executed for every host in the inventory list.');
    if (this.anyErrorsFatal(task)) this.run.events.warning('Using any_errors_fatal with the free strategy is not supported, as tasks are executed independently on each host');
  }

  /**
   * How many hosts run the task at once: --forks, or fewer when the task's `throttle` (templated
   * with the first host's variables) says so, as StrategyBase._queue_task holds back workers.
   */
  private concurrency(task: Task, first: HostState): number {
    const raw = inherited(task, 'throttle');
    if (raw === undefined || raw === null) return this.run.options.forks;
    const value = typeof raw === 'number' ? raw : this.hostTemplar(first, task).template(raw);
    const text = pyStr(value).trim();
    const throttle = typeof value === 'number' || value instanceof PyFloat ? Math.trunc(Number(text)) : /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
    if (Number.isNaN(throttle)) throw new FleetError('Failed to convert the throttle value to an integer.', { location: task.at });
    return throttle > 0 ? Math.min(throttle, this.run.options.forks) : this.run.options.forks;
  }

  /**
   * `gathering: smart` leaves out the implicit gathering for a host whose cache holds gathered
   * facts (PlayIterator's SETUP state); when no host is left, nothing of it is printed.
   */
  private gathersOn(task: Task, host: HostState): boolean {
    return !(this.run.options.gathering === 'smart' && gatheringTasks.has(task) && factsGathered(host.facts));
  }

  /**
   * Whether the task's tags select it on `host`; its whole scope is built only when it has
   * tags. Ansible's strategy reads every host's variables before a task runs, so a host_vars
   * file that does not parse still stops the play here, before any host runs the task.
   */
  private tagsSelect(task: Task, host: HostState): boolean {
    void host.inventoryVars;
    return taskSelected(task, this.run.options, () => hostScope(this.ctx, host, task));
  }

  /** `--start-at-task`: tasks before the first whose name matches are passed over silently. */
  private startReached(task: Task): boolean {
    const wanted = this.run.options.startAtTask;
    if (wanted === undefined || this.run.startedAt || task.name === 'Gathering Facts') return true;
    const name = taskName(task, null);
    const pattern = globToRegExp(wanted);
    if (task.name === wanted || name === wanted || pattern.test(task.name ?? '') || pattern.test(name)) {
      this.run.startedAt = true;
      return true;
    }
    return false;
  }

  private taskInfo(task: Task, host: HostState, prefix: TaskInfo['prefix']): TaskInfo {
    let templar: Templar | null = null;
    try {
      // _execute_meta announces a meta by its name as written; linear templates only the others'.
      templar = metaAction(task) === null ? this.hostTemplar(host, task) : null;
    } catch {
      templar = null;
    }
    return {
      id: this.run.nextTaskId(),
      name: taskName(task, templar),
      action: task.action,
      prefix,
      check: checkModeShown(inherited(task, 'check_mode'), this.run.options.check),
      noLog: inherited(task, 'no_log') === true,
      loop: loopKeyword(task) !== null,
      path: `${task.at.file}:${task.at.line}`,
      writtenName: taskName(task, null),
    };
  }

  private async runOnHost(task: Task, host: HostState, info: TaskInfo, runOnce = false): Promise<{ outcome: StepOutcome; result: ResultData }> {
    this.run.events.hostStart?.(info, host.name);
    const showDiff = this.run.options.diff || task.keywords.get('diff') === true;
    const base = { host: host.name, task: info, showDiff };
    // Results are shown as the module that ran shows them (a templated `action:` names it per host).
    const ran = (action: string): TaskInfo => (action === info.action ? info : { ...info, action });
    const executor: TaskExecutor = new TaskExecutor(this.ctx, task, host, info, {
      item: (result, label) => this.run.events.itemResult({ ...base, ...delegationOf(result), task: ran(executor.action), status: statusOf(result), result, ignored: false, label }),
      retry: (result, retriesLeft) => this.run.events.retry({ ...base, ...delegationOf(result), status: 'failed', result, ignored: false, retriesLeft }),
      asyncJob: (event) => this.run.events.asyncJob?.({ ...event, host: host.name }),
    });
    const outcome: TaskOutcomeForHost = await executor.run();
    const step = this.finish(task, host, ran(outcome.action), outcome, showDiff, runOnce);
    const invalidRegister = invalidRegisterError(task);
    if (invalidRegister) throw invalidRegister;
    return { outcome: step, result: outcome.result };
  }

  private finish(task: Task, host: HostState, info: TaskInfo, outcome: TaskOutcomeForHost, showDiff: boolean, runOnce: boolean): StepOutcome {
    const { status, result, ignored } = outcome;
    const event: HostResult = { host: host.name, task: info, status, result, ignored, showDiff, ...delegationOf(result) };
    const stats = this.run.stats;
    if (status === 'unreachable') {
      // The next task that needs the host connects again.
      this.run.pool.drop(host.name);
      this.run.events.hostResult(event);
      // ignore_unreachable: the host stays in the play, counted ok and ignored (StrategyBase._process_pending_results).
      if (ignored) {
        stats.increment('ok', host.name);
        stats.increment('ignored', host.name);
        return { failed: false };
      }
      host.unreachable = true;
      stats.increment('unreachable', host.name);
      return { failed: true, unreachable: true };
    }
    if (status === 'failed') {
      if (ignored) {
        stats.increment('ok', host.name);
        stats.increment('ignored', host.name);
        if (result.changed === true) stats.increment('changed', host.name);
      } else {
        this.pendingFailures.set(host.name, { task, result });
      }
      this.run.events.hostResult(event);
      return { failed: !ignored, ran: true };
    }
    if (status === 'skipped') {
      stats.increment('skipped', host.name);
      this.run.events.hostResult(event);
      return { failed: false };
    }
    // An include counts as ok once per file it includes (expandIncludes), not here.
    if (isDynamicInclude(task.action)) {
      this.run.events.hostResult(event);
      return { failed: false, ran: true };
    }
    // The gather_facts action tells the executor facts were gathered, in the facts themselves.
    if (gatheringTasks.has(task) && result.ansible_facts instanceof PyDict) result.ansible_facts.set('_ansible_facts_gathered', true);
    applyReturnedFacts(task, result, this.factHosts(task, host, runOnce));
    const statsHosts = (): string[] => (runOnce ? this.ctx.batch.filter((name) => !this.host(name).unreachable) : [host.name]);
    for (const item of Array.isArray(result.results) ? (result.results as ResultData[]) : [result]) addCustomStats(this.run.stats, toPy(item.ansible_stats), statsHosts);
    stats.increment('ok', host.name);
    if (status === 'changed') {
      stats.increment('changed', host.name);
      this.notify(task, host, result);
    }
    this.run.events.hostResult(event);
    return { failed: false, ran: true };
  }

  /**
   * StrategyBase's host_list for the facts a result returns: the host a result was delegated to
   * when the task sets delegate_facts (per loop item), every host of the batch still reachable
   * when it ran once, else the host itself. A delegated host outside the inventory keeps none.
   */
  private factHosts(task: Task, host: HostState, runOnce: boolean): (result: ResultData) => HostState[] {
    const delegateTo = inherited(task, 'delegate_to');
    const delegateFacts = inherited(task, 'delegate_facts');
    if (delegateTo !== undefined && delegateTo !== null && delegateFacts !== undefined && delegateFacts !== null && pyTruthy(delegateFacts)) {
      return (result) => {
        const delegated = (result._ansible_delegated_vars as { ansible_delegated_host?: string } | undefined)?.ansible_delegated_host ?? pyStr(delegateTo);
        const target = this.run.hosts.get(delegated);
        return target === undefined ? [] : [target];
      };
    }
    if (runOnce) return () => this.ctx.batch.map((name) => this.host(name)).filter((state) => !state.unreachable);
    return () => [host];
  }

  /**
   * A changed task notifies the names each of its executions templated (`_ansible_notify`):
   * in a loop, every item that ran notifies its own, changed or not (the strategy asks only
   * whether the task changed); an item its `when` skipped notifies nothing.
   */
  private notify(task: Task, host: HostState, result: ResultData): void {
    const executions = loopKeyword(task) === null ? [result] : Array.isArray(result.results) ? (result.results as ResultData[]) : [];
    const names = executions.flatMap((execution) => (Array.isArray(execution._ansible_notify) ? (execution._ansible_notify as string[]) : []));
    if (names.length === 0) return;
    const templar = this.hostTemplar(host, task);
    for (const name of names) {
      const handlers = notifiedHandlers(this.ctx.play.handlers, name, (handler) => this.handlerName(handler, templar));
      if (handlers.length === 0) {
        // Ansible's error names no file (the handlers target greps for the bare message).
        const message = `The requested handler '${name}' was not found in either the main handlers list nor in the listening handlers list`;
        if (this.run.options.errorOnMissingHandler) throw new FleetError(message);
        this.run.events.warning(message);
      }
      for (const handler of handlers) {
        if (host.notified.has(handler)) continue;
        host.notified.add(handler);
        this.run.events.handlerNotified?.(taskName(handler, null), host.name);
      }
    }
  }

  /**
   * A handler's templated name; null when it cannot be templated for want of a variable, which
   * the strategy skips, warning when the handler has no `listen` to be reached by instead.
   */
  private handlerName(handler: Task, templar: Templar): string | null {
    if (handler.name === null) return null;
    try {
      return pyStr(templar.template(handler.name));
    } catch (error) {
      if (!(error instanceof TemplateError) || !/ is undefined/.test(error.message)) throw error;
      const warning = `Handler '${handler.name}' is unusable because it has no listen topics and the name could not be templated (host-specific variables are not supported in handler names). The error: ${error.message}`;
      // Display.warning shows each distinct warning once per run.
      const warned = unusableHandlerWarnings.get(this.run) ?? new Set<string>();
      unusableHandlerWarnings.set(this.run, warned);
      if (asList(handler.keywords.get('listen')).length === 0 && !warned.has(warning)) {
        warned.add(warning);
        this.run.events.warning(warning);
      }
      return null;
    }
  }

  /**
   * The strategy's handling of include results: each IncludedFile is loaded once and its
   * blocks are run by the hosts that share it (so they share banners), in order. An
   * include_tasks file is announced (`included: FILE for h1, h2`) and counted ok per host;
   * one that cannot be loaded fails its hosts with the reason, ignore_errors or not.
   */
  private expandIncludes(task: Task, info: TaskInfo, hosts: HostState[], results: Map<string, ResultData>, outcomes: Map<string, StepOutcome>): void {
    if (!isDynamicInclude(task.action)) return;
    const hostResults = hosts.flatMap((host) => {
      const result = results.get(host.name);
      return result ? [{ host: host.name, result }] : [];
    });
    const files = includedFiles(task, hostResults, (file) => locateIncludedTasks(task, file).path);
    for (const file of files) {
      let block: Block;
      try {
        block = this.loadInclude(task, file);
      } catch (error) {
        // A malformed file ends the run, as the strategy re-raises AnsibleParserError.
        if (!(error instanceof FleetError) || error instanceof ParserError) throw error;
        if (file.file === null) this.roleIncludeFailed(task, error, file, outcomes);
        else for (const name of file.hosts) this.includeFailed(task, info, name, error, outcomes);
        continue;
      }
      for (const name of file.hosts) {
        const outcome = outcomes.get(name) ?? { failed: false };
        outcomes.set(name, { ...outcome, included: [...(outcome.included ?? []), block] });
      }
    }
  }

  private loadInclude(task: Task, file: IncludedFile): Block {
    // An import_role in what the include loads adds its role's handlers to the play as it loads (helpers.py).
    const imported = contextOf(this.ctx.play).importedHandlers;
    const importedBefore = imported.length;
    const addImportedHandlers = () => this.addHandlers(imported.slice(importedBefore));
    if (file.file === null) {
      const included = loadIncludedRole(task, file.args, file.vars);
      addImportedHandlers();
      this.addHandlers(included.handlers);
      return included.block;
    }
    if (!locateIncludedTasks(task, file.file).found) throw new FleetError(`Could not find or access '${file.file}' on the Ansible Controller.`);
    const block = loadIncludedTasks(task, file.file, file.vars);
    addImportedHandlers();
    this.run.events.included(file.file, file.hosts, includeLabel(file));
    for (const name of file.hosts) this.run.stats.increment('ok', name);
    return block;
  }

  private addHandlers(handlers: Task[]): void {
    for (const handler of handlers) if (!this.ctx.play.handlers.includes(handler)) this.ctx.play.handlers.push(handler);
  }

  /**
   * A role include_role cannot load (linear.py): with no on_include callback for it, the error is
   * shown once, and its hosts fail with no result and no count. PlayIterator.mark_host_failed
   * takes them out of the play (a rescue runs, and does not count them rescued or put them back).
   */
  private roleIncludeFailed(task: Task, error: FleetError, file: IncludedFile, outcomes: Map<string, StepOutcome>): void {
    this.run.events.error?.(errorReport(new FleetError(error.message, roleNameLocation(task))));
    for (const name of file.hosts) {
      this.ctx.removedHosts.add(name);
      outcomes.set(name, { failed: true });
    }
  }

  /** A tasks file that could not be loaded: failed with the `reason` (StrategyBase._load_included_file). */
  private includeFailed(task: Task, info: TaskInfo, name: string, error: FleetError, outcomes: Map<string, StepOutcome>): void {
    const result: ResultData = { failed: true, reason: error.message };
    // Each failed file counts (a loop may name several); the host's first failure waits to see whether a rescue takes it.
    if (this.pendingFailures.has(name)) this.run.stats.increment('failures', name);
    else this.pendingFailures.set(name, { task, result });
    this.run.events.hostResult({ host: name, task: info, status: 'failed', result, ignored: false, showDiff: false });
    outcomes.set(name, { failed: true });
  }

  /** Whether a meta task's `when:` holds for the host (strategy's _evaluate_conditional). */
  private metaWhenHolds(task: Task, host: HostState): boolean {
    if (conditionsOf(task).length === 0) return true;
    const templar = new Templar({ vars: hostScope(this.ctx, host, task), warn: (message) => this.run.events.warning(message) });
    return whenHolds(templar, task);
  }

  /**
   * Announces the meta and evaluates its `when` host by host, as _execute_meta does: a
   * run-once meta only for the first host, whose `when` decides for all. Each host it is
   * false on gets a `skipping:` line that the recap does not count. Returns the hosts it acts on.
   */
  private metaTargets(meta: string, task: Task, all: HostState[], prefix: TaskInfo['prefix']): HostState[] {
    const holding: HostState[] = [];
    for (const host of metaRunsFor(meta, all)) {
      // Callbacks never hear of the implicit metas.
      const info = implicitTasks.has(task) ? null : this.startTask(task, host, prefix);
      if (META_WITHOUT_WHEN.has(meta) && conditionsOf(task).length > 0) this.run.events.warning(`${meta} task does not support when conditional`);
      if (!isMetaAction(meta)) throw new FleetError(`invalid meta action requested: ${meta}`, { location: task.at });
      const holds = !metaHasWhen(meta) || this.metaWhenHolds(task, host);
      if (holds && meta === 'flush_handlers' && prefix === 'RUNNING HANDLER') throw new FleetError('flush_handlers cannot be used as a handler');
      if (holds) holding.push(host);
      if (!info) continue;
      this.run.events.metaDone?.(metaHeader(meta, host.name, !holds));
      if (!holds) this.run.events.hostResult({ host: host.name, task: info, status: 'skipped', result: metaSkippedResult(meta, host.name), ignored: false, showDiff: false });
    }
    return META_PER_HOST.has(meta) || holding.length === 0 ? holding : all;
  }

  private async runMeta(meta: string, task: Task, all: HostState[], prefix: TaskInfo['prefix']): Promise<Map<string, StepOutcome>> {
    const outcomes = new Map<string, StepOutcome>(all.map((host) => [host.name, { failed: false }]));
    const hosts = this.metaTargets(meta, task, all, prefix);
    if (hosts.length === 0) return outcomes;
    switch (meta) {
      case 'flush_handlers': {
        const flush = await this.flushHandlers(hosts);
        for (const name of flush.failed) outcomes.set(name, { failed: true });
        for (const name of flush.ended) outcomes.set(name, { failed: false, end: true });
        break;
      }
      case 'end_host':
        for (const host of hosts) {
          outcomes.set(host.name, { failed: false, end: true });
          // Gone from ansible_play_hosts, as a failed host is (Play._removed_hosts).
          this.ctx.removedHosts.add(host.name);
        }
        break;
      case 'end_play':
      case 'end_batch':
        for (const host of this.active(this.ctx.batch)) outcomes.set(host.name, { failed: false, end: true });
        break;
      case 'clear_host_errors':
        for (const name of this.ctx.batch) this.host(name).failed = false;
        for (const host of hosts) outcomes.set(host.name, { failed: false, clearErrors: true });
        break;
      case 'reset_connection':
        for (const host of hosts) {
          // The strategy resets a connection plugin made for the host: the local one only warns (once a run, in the main process).
          if (this.connectionType(host, task) === 'local') this.run.events.warning(RESET_NOT_IMPLEMENTED);
          this.run.pool.reset(host.name, () => this.connectionPlan(host, task));
        }
        break;
      case 'refresh_inventory': {
        this.run.refreshInventory();
        // _set_hosts_cache: the play's hosts are selected again. One the inventory lost runs
        // nothing more in the play; a new one waits for the next play (the batch is fixed),
        // unless an earlier play failed it, which keeps it out as at the play's start.
        const selected = this.ctx.selectHosts().filter((name) => this.ctx.allHosts.includes(name) || !(this.host(name).failed || this.host(name).unreachable));
        this.ctx.allHosts.splice(0, this.ctx.allHosts.length, ...selected);
        this.ctx.batch = this.ctx.batch.filter((name) => selected.includes(name));
        break;
      }
      case 'clear_facts':
        // For every host of the play, not only the batch's.
        for (const name of this.ctx.allHosts) this.run.stateOf(name)?.clearFacts();
        break;
    }
    return outcomes;
  }

  /**
   * Runs notified handlers in the order they are defined (not notified), each across its
   * hosts; returns the hosts one failed on and those a meta handler ended.
   */
  private async flushHandlers(hosts: HostState[]): Promise<HandlerFlush> {
    // A host a handler failed on runs no more handlers; the flush itself fails for it, so a
    // block around an explicit flush_handlers rescues it (the iterator runs handlers in place).
    // A host that end_host (or end_play) ended runs none either, and its iteration stops.
    const flush: HandlerFlush = { failed: new Set(), ended: new Set() };
    const done = (host: HostState) => flush.failed.has(host.name) || flush.ended.has(host.name);
    for (const handler of this.ctx.play.handlers) {
      const notified = hosts.filter((host) => host.notified.has(handler) && !host.failed && !host.unreachable && !done(host));
      if (notified.length === 0) continue;
      const meta = metaAction(handler);
      try {
        if (await this.runHandler(handler, notified, flush)) {
          this.handlersBrokePlay = true;
          break;
        }
      } finally {
        // Forgotten once it ran, as Ansible does: a handler that notifies itself does not run
        // again. A run-once meta forgets only the host it ran for (_execute_meta's
        // task.remove_host): the others still run it at the next flush.
        for (const host of meta === null ? notified : metaRunsFor(meta, notified)) host.notified.delete(handler);
      }
    }
    return flush;
  }

  /** One handler on the hosts notified for it, adding to `flush` the hosts it failed on or ended; true when it ended the play. */
  private async runHandler(handler: Task, notified: HostState[], flush: HandlerFlush): Promise<boolean> {
    const meta = metaAction(handler);
    if (meta !== null) {
      for (const [name, outcome] of await this.runMeta(meta, handler, notified, 'RUNNING HANDLER')) if (outcome.end) flush.ended.add(name);
      return false;
    }
    const info = this.startTask(handler, notified[0] as HostState, 'RUNNING HANDLER');
    const included = new Map<string, HostIterator>();
    const results = new Map<string, ResultData>();
    const outcomes = new Map<string, StepOutcome>();
    await forEachLimited(notified, this.concurrency(handler, notified[0] as HostState), async (host) => {
      const { outcome, result } = await this.runOnHost(handler, host, info);
      results.set(host.name, result);
      outcomes.set(host.name, outcome);
    });
    this.expandIncludes(handler, info, notified, results, outcomes);
    for (const host of notified) {
      const outcome = outcomes.get(host.name) ?? { failed: false };
      this.recordFailure(host, outcome, false);
      if (outcome.failed) flush.failed.add(host.name);
      else if (outcome.included) included.set(host.name, new HostIterator(outcome.included, host.roleRuns));
    }
    // Handlers run in linear's lockstep too, so its any_errors_fatal check follows each one;
    // no host is in a rescue or always while it runs handlers.
    if (this.free === null && this.breaksPlay(handler, notified, outcomes, new Map())) return true;
    // A handler's include_tasks/include_role runs what it brought in as handlers, there and then.
    if (included.size === 0) return false;
    if (await this.runLinear(included, 'RUNNING HANDLER')) return true;
    for (const [name, iterator] of included) {
      const host = this.host(name);
      if (iterator.result.ended) flush.ended.add(name);
      if (!host.failed) continue;
      host.failed = false;
      flush.failed.add(name);
    }
    return false;
  }
}

/**
 * Whether a step sits directly in a block's rescue or always section: its position ends with
 * the section index (0 tasks, 1 rescue, 2 always) and its index there, as the innermost state
 * PlayIterator.get_active_state finds.
 */
function inRescueOrAlways(step: Step | null): boolean {
  const section = step && step.order.length >= 2 ? step.order[step.order.length - 2] : 0;
  return section === 1 || section === 2;
}

/**
 * Where Ansible points an include_role error: at the role's name as the YAML wrote it. A name
 * given as `k=v` has no position, nor has one from a template here (Ansible shows where the
 * variable it came from was written, when it has one).
 */
function roleNameLocation(task: Task): { location?: SourceLocation } {
  const key = task.args.has('name') ? 'name' : 'role';
  const written = argsAsWritten(task.args);
  const location = written === undefined || isTemplate(task.args.get(key) ?? null) ? undefined : valuePositionOf(written, key);
  return location ? { location } : {};
}
