import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectionError, FleetError, PolicyError } from '../errors.js';
import { ArgumentError, lenientArgs, toBool, validateArgs } from '../modules/argspec.js';
import { findModule } from '../modules/index.js';
import { invocationFor } from '../modules/invocation.js';
import { runRemote, type ExecScript } from '../modules/remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../modules/types.js';
import type { AsyncJobEvent, HostStatus, ResultData, TaskInfo } from '../output/events.js';
import { environmentOf, inherited, keywordValues } from '../playbook/inherit.js';
import { isTemplatedAction, shortActionName } from '../playbook/actions.js';
import type { Task } from '../playbook/model.js';
import type { Script } from '../shell/script.js';
import { inlineLibraries } from '../shell/libraries.js';
import { becomeFailure, becomeOptionVariables, becomePasswordVariables, wrapScript, wrapWithLibraries, type Become } from '../shell/wrap.js';
import { evaluateConditional } from '../template/conditional.js';
import { isOmit, Templar } from '../template/index.js';
import { pyStr, PyUndefinedError } from '../template/python/index.js';
import { PyDict, type PyValue } from '../template/values.js';
import { pyTruthy } from '../template/python/truthy.js';
import { isIdentifier } from '../vars/identifier.js';
import { VariableScope } from '../vars/scope.js';
import { carryItemFacts } from './result_vars.js';
import type { PlayContext } from './context.js';
import { ASYNC_IN_CHECK_MODE, ASYNC_NOT_SUPPORTED, asyncRefusal, DEFAULT_POLL_SECONDS, refusesAsync } from './async_support.js';
import { runAsyncJob, type AsyncJob } from './async_task.js';
import { planConnection, plannedEndpoint, RESET_NOT_IMPLEMENTED, taskConnectionLookup } from './connection_vars.js';
import { templatePlayContextField, templateTaskField, undefinedTaskFieldError, whenHolds } from './task_fields.js';
import { applyInventoryChange } from './dynamic_inventory.js';
import { findNeedle, taskLookupContext } from './file_search.js';
import { isDynamicInclude } from './included_files.js';
import type { HostState } from './host_state.js';
import { extendedLoopVars, itemLabel, loopControl, loopItems, loopKeyword } from './loop_items.js';
import { hostScope } from './scope.js';
import { isChanged, isFailed, isSkipped, registeredValue, statusOf } from './task_result.js';

/** What the task's `timeout`, `delegate_to` and `environment` give one execution. */
interface ValidatedFields {
  timeoutMs: number | undefined;
  /** The host delegated to, unless it is the task's own. */
  delegate: string | undefined;
  environment: Map<string, string>;
}

/** A pipelined loop item's place in line: it sends after `before` settles, then calls markSent. */
interface SendOrder {
  before: Promise<void>;
  markSent: () => void;
}

export interface TaskOutcomeForHost {
  status: HostStatus;
  result: ResultData;
  ignored: boolean;
  /** The module that ran: the task's action, or what its templated `action:` named on this host. */
  action: string;
}

export interface TaskHooks {
  /** Called per loop item as it completes (v2_runner_item_on_*). */
  item(result: ResultData, label: string): void;
  /** Called before an `until` retry (v2_runner_retry). */
  retry(result: ResultData, retriesLeft: number): void;
  /** Called per poll of an async job, and when a polled job ends (v2_runner_on_async_*). */
  asyncJob(event: Omit<AsyncJobEvent, 'host'>): void;
}

/**
 * The PlayContext fields a task's keywords set (set_task_and_variable_override), each with the
 * variables that beat the keyword (MAGIC_VARIABLE_MAPPING).
 */
const PLAY_CONTEXT_FIELDS: readonly (readonly [string, readonly string[]])[] = [
  ['connection', ['ansible_connection']],
  ['remote_user', ['ansible_ssh_user', 'ansible_user']],
  ['check_mode', []],
  ['diff', []],
  ['become', ['ansible_become']],
  ['become_method', ['ansible_become_method']],
  ['become_user', ['ansible_become_user']],
  ['become_flags', ['ansible_become_flags']],
  ['no_log', []],
];

/**
 * Task fields that Task.post_validate templates before the module runs though fleet reads them
 * elsewhere (the strategy's, and PlayContext's again, as the keyword says it: a variable that
 * beats it at PlayContext leaves the keyword's own undefined variable to fail here).
 */
const VALIDATED_ONLY_FIELDS = ['ignore_errors', 'ignore_unreachable', 'any_errors_fatal', ...PLAY_CONTEXT_FIELDS.map(([field]) => field)];

/** The value of the first variable that beats a PlayContext field's keyword (MAGIC_VARIABLE_MAPPING), if one is set. */
function overridingVariable(scope: VariableScope, field: string): PyValue | undefined {
  const variables = PLAY_CONTEXT_FIELDS.find(([name]) => name === field)?.[1] ?? [];
  return variables.map((name) => scope.get(name)).find((value) => value !== undefined);
}

const loopVarInUse = (task: string, loopVar: string): string =>
  `TASK: ${task}: The loop variable '${loopVar}' is already in use. You should set the \`loop_var\` value in the \`loop_control\` option for the task to something else to avoid variable collisions and unexpected behavior.`;

/** Runs one task on one host the way Ansible's TaskExecutor.run does. */
let workers = 0;

export class TaskExecutor {
  /** This host's run of the task, as Ansible's forked worker: its warnings are its own (events.warning). */
  private readonly worker = String(++workers);
  private readonly scope: VariableScope;
  private readonly templar: Templar;
  private ranAction: string;
  /** PlayContext.no_log as the last execution (loop item) templated it: TaskExecutor.run's error result carries it. */
  private noLogInEffect = false;

  constructor(
    private readonly play: PlayContext,
    private readonly task: Task,
    private readonly host: HostState,
    private readonly info: TaskInfo,
    private readonly hooks: TaskHooks,
  ) {
    this.scope = hostScope(play, host, task);
    this.templar = this.templarFor(this.scope);
    this.ranAction = task.action;
  }

  /** The module the task ran last (an `action: "{{ … }}"` names it per host and item). */
  get action(): string {
    return this.ranAction;
  }

  private templarFor(scope: VariableScope): Templar {
    return new Templar({
      vars: scope,
      lookupContext: taskLookupContext(this.play, this.task),
      warn: (message) => this.play.run.events.warning(message, this.worker),
    });
  }

  private keyword(name: string): PyValue | undefined {
    return inherited(this.task, name);
  }

  /** A keyword's templated value; where it templates to omit, the enclosing level's (set_to_context). */
  private templatedKeyword(name: string, templar: Templar): PyValue | undefined {
    for (const raw of keywordValues(this.task, name)) {
      if (raw === null) return undefined;
      const value = templar.template(raw);
      if (!isOmit(value)) return value;
    }
    return undefined;
  }

  private boolKeyword(name: string, templar: Templar, fallback: boolean): boolean {
    const value = this.templatedKeyword(name, templar);
    return value === undefined || value === null ? fallback : toBool(value);
  }

  /**
   * A boolean keyword as the strategy and the callback read it (ignore_errors, no_log): one whose
   * template names an undefined variable, which fails the task, stays its raw text, which is true.
   */
  private boolKeywordOrRaw(name: string, templar: Templar): boolean {
    try {
      return this.boolKeyword(name, templar, false);
    } catch (error) {
      if (error instanceof PyUndefinedError) return true;
      throw error;
    }
  }

  async run(): Promise<TaskOutcomeForHost> {
    let result: ResultData;
    try {
      result = loopKeyword(this.task) ? await this.runLoop() : await this.execute(this.scope, this.templar);
      if (result.changed === undefined) result.changed = false;
    } catch (error) {
      // A task that failed before its module ran is still registered (TaskExecutor.run's result,
      // which has no `changed`: that is added only to what _execute returned).
      result = this.errorResult(error instanceof ModuleRaised ? error.cause : error);
      this.register(result, true);
      const delegate = this.task.keywords.get('delegate_to');
      // The callback labels a task that failed before the worker validated it with its delegate_to as written.
      if (!(error instanceof ModuleRaised) && typeof delegate === 'string' && delegate !== this.host.name) result._ansible_delegated_vars = { ansible_delegated_host: delegate, ansible_host: delegate };
    }
    // An unreachable host's result is ignored by ignore_unreachable, a failure by ignore_errors.
    const ignored = result.unreachable === true ? this.boolKeyword('ignore_unreachable', this.templar, false) : isFailed(result) && this.boolKeywordOrRaw('ignore_errors', this.templar);
    return { status: statusOf(result), result, ignored, action: this.ranAction };
  }

  private errorResult(error: unknown): ResultData {
    // The banned-provider policy refusing what a task gives (add_host's vars) ends the run, as at pre-flight: no ignore_errors or rescue.
    if (error instanceof PolicyError) throw error;
    if (error instanceof ConnectionError) return { unreachable: true, changed: false, msg: error.message };
    const noLog = this.noLogInEffect ? { _ansible_no_log: true } : {};
    if (error instanceof FleetError) return { failed: true, msg: error.format(), ...noLog };
    // The module (or action plugin) rejected its arguments: a module result, so `changed` is there.
    if (error instanceof ArgumentError) {
      return { changed: false, ...(error.exception ? { exception: error.exception } : {}), failed: true, msg: error.message, ...(error.invocation ? { invocation: error.invocation } : {}), ...noLog };
    }
    throw error;
  }

  private async runLoop(): Promise<ResultData> {
    let items: PyValue[];
    try {
      items = loopItems(this.task, this.templar);
    } catch (error) {
      // TaskExecutor.run keeps a loop's undefined-variable error for _execute, which skips on a false `when:` first.
      if (error instanceof PyUndefinedError) return this.execute(this.scope, this.templar, error);
      throw error;
    }
    if (items.length === 0) {
      const skipped: ResultData = { changed: false, skipped: true, skipped_reason: 'No items in the list', results: [] };
      this.register(skipped);
      return skipped;
    }
    const control = loopControl(this.task, this.templar);
    // TaskExecutor._run_loop: a loop variable the task's variables already hold (an include's loop's `item`) is shadowed.
    // PlayContext.update_vars adds its connection variables only later, in _execute.
    if (this.scope.without('play_context').get(control.loopVar) !== undefined) this.play.run.events.warning(loopVarInUse(this.info.writtenName ?? this.info.name, control.loopVar), this.worker);
    const results: ResultData[] = [];
    const carried = new PyDict();
    const pipelined = this.pipelinesItems(control.pauseSeconds);
    const inFlight: Array<() => Promise<void>> = [];
    // An item that raises outside its module (an undefined variable in its arguments, a bad
    // `when`) leaves TaskExecutor._run_loop: the task fails with that error and later items never
    // run. changed_when/failed_when errors do not raise: _execute makes them the item's result.
    let raised: { error: unknown } | undefined;
    let previousSent: Promise<void> = Promise.resolve();
    for (const [index, item] of items.entries()) {
      if (index > 0 && control.pauseSeconds > 0) await sleep(control.pauseSeconds * 1000);
      const loopVars = new PyDict([
        ...carried,
        ['ansible_loop_var', control.loopVar],
        [control.loopVar, item],
      ]);
      if (control.indexVar) {
        loopVars.set('ansible_index_var', control.indexVar);
        loopVars.set(control.indexVar, index);
      }
      if (control.extended) loopVars.set('ansible_loop', extendedLoopVars(items, index, control.extendedAllItems));
      const scope = this.scope.with({ name: 'loop', vars: loopVars });
      const templar = this.templarFor(scope);
      let order: SendOrder | undefined;
      if (pipelined) {
        let markSent!: () => void;
        const sent = new Promise<void>((resolve) => (markSent = resolve));
        order = { before: previousSent, markSent };
        previousSent = sent;
      }
      const attempt = this.execute(scope, templar, undefined, order)
        .catch((error: unknown) => {
          if (error instanceof ModuleRaised) return this.errorResult(error.cause);
          // Arguments the module rejects are its result (AnsibleModule validates them on the host).
          if (error instanceof ArgumentError) return this.errorResult(error);
          raised ??= { error };
          return undefined;
        })
        .finally(() => order?.markSent());
      const finish = async (): Promise<void> => {
        const res = await attempt;
        if (res === undefined) return;
        carryItemFacts(this.task, res, carried);
        res[control.loopVar] = item;
        res.ansible_loop_var = control.loopVar;
        if (control.indexVar) {
          res[control.indexVar] = index;
          res.ansible_index_var = control.indexVar;
        }
        if (control.extended) res.ansible_loop = loopVars.get('ansible_loop');
        res._ansible_item_result = true;
        res._ansible_ignore_errors = this.boolKeywordOrRaw('ignore_errors', templar);
        let label: string;
        try {
          label = itemLabel(templar.template(control.label ?? `{{${control.loopVar}}}`));
        } catch (error) {
          label = itemLabel(item);
          Object.assign(res, { failed: true, msg: `Failed to template loop_control.label: ${error instanceof PyUndefinedError ? error.ansibleText : (error as Error).message}` });
        }
        res._ansible_item_label = label;
        results.push(res);
        this.hooks.item(res, label);
      };
      if (!pipelined) {
        await finish();
        if (raised) break;
        continue;
      }
      // Sent now, answered later: every item's script reaches the host before the first answer.
      inFlight.push(finish);
      // An item raises before its script is built (synchronously): one turn lets that show before the next item is templated.
      await null;
      if (raised) break;
    }
    for (const finish of inFlight) await finish();
    if (raised) throw raised.error;
    // TaskExecutor.run adds `changed: False` to a result without one before the strategy registers it.
    const aggregate: ResultData = { results, skipped: true, changed: false };
    for (const res of results) {
      if (isChanged(res)) aggregate.changed = true;
      if (!isSkipped(res)) aggregate.skipped = false;
      if (isFailed(res) && !aggregate.failed) {
        aggregate.failed = true;
        aggregate.msg = 'One or more items failed';
      }
    }
    if (!aggregate.failed) aggregate.msg = 'All items completed';
    if (aggregate.skipped) aggregate.msg = 'All items skipped';
    this.register(aggregate);
    return aggregate;
  }

  /**
   * Whether a loop's items may all be sent before the first answers: the module sends one
   * script built from its arguments alone (ModuleDef.oneScript), so an item's script never
   * depends on host state an earlier item changes; the host still runs them in order. Not with
   * until/retries, a pause between items, a timeout, async or delegation.
   */
  private pipelinesItems(pauseSeconds: number): boolean {
    if (pauseSeconds > 0) return false;
    if (['until', 'timeout', 'async', 'delegate_to'].some((name) => (this.keyword(name) ?? null) !== null)) return false;
    return findModule(this.task.action)?.oneScript === true;
  }

  private register(result: ResultData, raised = false): void {
    const name = this.task.keywords.get('register');
    if (isIdentifier(name)) this.host.setFacts.set(name, registeredValue(result, this.ranAction, raised));
  }

  /** One execution (TaskExecutor._execute): when, args, module, until/retries, changed/failed_when. */
  private async execute(scope: VariableScope, templar: Templar, loopError?: PyUndefinedError, order?: SendOrder): Promise<ResultData> {
    const noLog = this.boolKeywordOrRaw('no_log', templar);
    this.noLogInEffect = noLog;
    if (!whenHolds(templar, this.task)) {
      // A skipped task is registered too (the strategy registers every result).
      const skipped: ResultData = { changed: false, skipped: true, skip_reason: 'Conditional result was False', _ansible_no_log: noLog };
      this.register(skipped);
      return skipped;
    }
    if (loopError) throw new FleetError(loopError.ansibleText, { cause: loopError });
    // TaskExecutor._execute keeps a delegated task's PlayContext error for the connection to meet.
    if ((this.task.keywords.get('delegate_to') ?? null) === null) this.postValidatePlayContext(scope, templar);
    if (isDynamicInclude(this.task.action)) return this.includeResult(templar);
    for (const field of VALIDATED_ONLY_FIELDS) {
      const raw = this.keyword(field);
      if (raw !== undefined && raw !== null) templateTaskField(templar, this.task, field, raw);
    }
    // Task.post_validate templates `notify` before the module runs: per loop item, and without this run's register.
    const notify = this.notifyNames(templar);
    const def = this.module(templar);
    const asyncRaw = this.keyword('async');
    const asyncSeconds = asyncRaw === undefined || asyncRaw === null ? 0 : Math.trunc(Number(pyStr(templateTaskField(templar, this.task, 'async', asyncRaw))));
    if (asyncSeconds > 0 && refusesAsync(def.name)) {
      // AnsibleActionFail, as below: its traceback is "NoneType: None".
      const refused: ResultData = { failed: true, changed: false, exception: 'NoneType: None\n', msg: ASYNC_NOT_SUPPORTED, _ansible_no_log: noLog };
      this.register(refused);
      return refused;
    }
    const check = this.boolKeyword('check_mode', templar, this.play.run.options.check);
    if (asyncSeconds > 0 && check) {
      // AnsibleActionFail raised with no exception in flight: TaskExecutor reports the traceback it finds, "NoneType: None".
      const refused: ResultData = { failed: true, changed: false, exception: 'NoneType: None\n', msg: ASYNC_IN_CHECK_MODE, _ansible_no_log: noLog };
      this.register(refused);
      return refused;
    }
    // A templated `action:` names its module only now, past the load-time check.
    const refusal = asyncRefusal(def, asyncSeconds);
    if (refusal) throw new FleetError(refusal, { location: this.task.at });
    const job = asyncSeconds > 0 ? { seconds: asyncSeconds, poll: this.pollSeconds(templar) } : undefined;
    const diff = this.boolKeyword('diff', templar, this.play.run.options.diff);
    // AnsibleModule validates its arguments before it refuses check mode, and reports them.
    const { given, args } = this.moduleArgs(def, templar);
    const fields = this.validatedFields(templar);
    if (check && !def.supportsCheckMode) {
      const invocation = invocationFor(def, given, args);
      // Registered as any module result is, `failed` added (TaskExecutor._execute), with no changed_when/failed_when on a skip.
      const skipped: ResultData = { changed: false, failed: false, skipped: true, msg: `remote module (${def.name}) does not support check mode`, _ansible_no_log: noLog, ...(invocation ? { invocation } : {}) };
      this.register(skipped);
      return skipped;
    }
    const register = this.task.keywords.get('register');
    const until = this.task.keywords.get('until');
    const retriesRaw = this.task.keywords.get('retries');
    // Templated with or without `until` (Task.post_validate), used only with it.
    const configured = retriesRaw === undefined || retriesRaw === null ? null : Number(pyStr(templateTaskField(templar, this.task, 'retries', retriesRaw)));
    let retries = 1;
    if (until !== undefined) retries = configured === null ? 3 : configured <= 0 ? 1 : configured + 1;
    const delayRaw = this.task.keywords.get('delay');
    // isa='int': int() truncates a float (`delay: 0.01` is no delay).
    const delay = delayRaw === undefined || delayRaw === null ? 5 : Math.trunc(Number(pyStr(templateTaskField(templar, this.task, 'delay', delayRaw))));
    let result: ResultData = {};
    let attemptScope = scope;
    let attemptTemplar = templar;
    for (let attempt = 1; attempt <= retries; attempt += 1) {
      result = await this.invoke(def, given, args, { check, diff, templar, scope, fields, order, job }).catch((error: unknown) => {
        throw new ModuleRaised(error);
      });
      applyInventoryChange(this.play.run, this.host.name, result, this.task.at);
      result._ansible_no_log = noLog;
      if (result.failed === undefined) result.failed = result.rc !== undefined && result.rc !== 0 && result.rc !== '0';
      if (until !== undefined) result.attempts = attempt;
      if (result.changed === undefined) result.changed = false;
      if (typeof register === 'string' && register) {
        attemptScope = scope.with({ name: 'set_facts', vars: new PyDict([[register, registeredValue(result, this.ranAction)]]) });
        attemptTemplar = this.templarFor(attemptScope);
      }
      if (!('skipped' in result)) this.applyWhenOverrides(result, attemptTemplar);
      if (retries > 1) {
        if (evaluateConditional(attemptTemplar, until ?? true, this.task.at)) break;
        if (attempt < retries) {
          result._ansible_retry = true;
          result.retries = retries;
          this.hooks.retry(result, retries - attempt);
          await sleep(Math.max(0, delay) * 1000);
        } else {
          result.attempts = retries - 1;
          result.failed = true;
        }
      }
    }
    const invalidRegister = invalidRegisterError(this.task);
    if (invalidRegister) throw invalidRegister;
    // TaskExecutor._execute's `_ansible_notify`: the strategy notifies each item's names once the task changed.
    if (notify) result._ansible_notify = notify;
    this.register(result);
    return result;
  }

  /** Task.poll (isa int), read only with `async:`. */
  private pollSeconds(templar: Templar): number {
    const raw = this.keyword('poll');
    return raw === undefined || raw === null ? DEFAULT_POLL_SECONDS : Math.trunc(Number(pyStr(templateTaskField(templar, this.task, 'poll', raw))));
  }

  /** PlayContext.post_validate: the connection and become fields, a variable's value where it beats the keyword. */
  private postValidatePlayContext(scope: VariableScope, templar: Templar): void {
    for (const [field] of PLAY_CONTEXT_FIELDS) {
      const raw = overridingVariable(scope, field) ?? this.keyword(field);
      if (raw !== undefined && raw !== null) templatePlayContextField(templar, field, raw);
    }
  }

  /** The handler names `notify` gives: templated whole, then made a list (`notify: "{{ names }}"` may name several). */
  private notifyNames(templar: Templar): string[] | undefined {
    const raw = this.keyword('notify');
    if (raw === undefined || raw === null) return undefined;
    const templated = templateTaskField(templar, this.task, 'notify', raw);
    return (Array.isArray(templated) ? templated : [templated]).map((name) => pyStr(name));
  }

  /** TaskExecutor._execute for an include: what it names, for the strategy to load and run (included_files.ts). */
  private includeResult(templar: Templar): ResultData {
    const templated = templar.template(this.task.args, { source: this.task.at });
    const args = templated instanceof PyDict ? templated : new PyDict();
    let result: ResultData = { include_args: args };
    if (this.task.action === 'include_tasks') {
      const file = args.get('_raw_params') ?? null;
      args.delete('_raw_params');
      result = { include: file, include_args: args };
    }
    this.register(result);
    return result;
  }

  /** The task's module; a templated `action:` is templated now, and only now known to exist or not. */
  private module(templar: Templar): ModuleDef {
    if (!isTemplatedAction(this.task.action)) {
      const def = findModule(this.task.action);
      if (!def) throw new FleetError(`couldn't resolve module/action '${this.task.actionAs}'`, { location: this.task.at });
      return def;
    }
    const name = shortActionName(pyStr(templar.template(this.task.action, { source: this.task.at })));
    this.ranAction = name;
    const def = findModule(name);
    // TaskExecutor._get_action_handler's message for a module it cannot find
    if (!def) throw new FleetError(`The module ${name} was not found in configured module paths`);
    return def;
  }

  private applyWhenOverrides(result: ResultData, templar: Templar): void {
    const changedWhen = this.task.keywords.get('changed_when');
    const failedWhen = this.task.keywords.get('failed_when');
    let which = 'changed';
    try {
      if (changedWhen !== undefined && changedWhen !== null && !(Array.isArray(changedWhen) && changedWhen.length === 0)) {
        result.changed = evaluateConditional(templar, changedWhen, this.task.at);
      }
      which = 'failed';
      if (failedWhen !== undefined && failedWhen !== null && !(Array.isArray(failedWhen) && failedWhen.length === 0)) {
        const failed = evaluateConditional(templar, failedWhen, this.task.at);
        result.failed_when_result = failed;
        result.failed = failed;
      }
    } catch (error) {
      result.failed = true;
      result[`${which}_when_result`] = error instanceof FleetError ? error.message : String(error);
    }
  }

  private moduleArgs(def: ModuleDef, templar: Templar) {
    const keep = new Set(def.untemplatedArgs ?? []);
    const args = new PyDict();
    for (const [key, raw] of this.task.args) {
      const value = keep.has(String(key)) ? raw : this.templatedOption(templar, raw);
      if (!isOmit(value)) args.set(key, value);
    }
    try {
      return { given: args, args: validateArgs(def.spec, args, this.task.actionAs.startsWith('ansible.') ? this.task.actionAs : def.name) };
    } catch (error) {
      // AnsibleModule's failure reports the arguments as far as validation got.
      const invocation = error instanceof ArgumentError ? invocationFor(def, args, lenientArgs(def.spec, args)) : null;
      if (error instanceof ArgumentError && invocation) error.invocation = invocation;
      throw error;
    }
  }

  /** FieldAttributeBase.post_validate of `args`: an undefined variable is the task's error, at the task. */
  private templatedOption(templar: Templar, raw: PyValue): PyValue {
    return templateTaskField(templar, this.task, 'args', raw);
  }

  private become(templar: Templar): Become | undefined {
    const defaults = this.play.run.options.become;
    if (!this.boolKeyword('become', templar, defaults.enabled)) return undefined;
    const text = (name: string, variables: readonly string[], fallback: string | undefined) => {
      // The variables beat the keyword (PlayContext.set_task_and_variable_override, then the plugin's own options).
      const variable = variables.map((each) => this.scope.get(each)).find((value) => value !== undefined && value !== null);
      const value = variable === undefined ? this.templatedKeyword(name, templar) : templar.template(variable);
      return value === undefined || value === null ? fallback : pyStr(value);
    };
    const method = text('become_method', ['ansible_become_method'], defaults.method) as string;
    const exe = text('become_exe', becomeOptionVariables(method, 'exe'), defaults.exe);
    const become: Become = {
      user: text('become_user', becomeOptionVariables(method, 'user'), defaults.user) as string,
      method,
      flags: text('become_flags', becomeOptionVariables(method, 'flags'), defaults.flags) as string,
      ...(exe === undefined ? {} : { exe }),
    };
    // The become plugin's become_pass: its variables (the last it lists wins) beat -K's answer.
    const passwordVar = becomePasswordVariables(become.method).map((name) => this.scope.get(name)).find((value) => value !== undefined && value !== null);
    const password = passwordVar === undefined ? defaults.password : pyStr(templar.template(passwordVar));
    if (password) {
      this.play.run.options.secrets?.add(password);
      become.password = password;
    }
    return become;
  }

  private environment(templar: Templar): Map<string, string> {
    const env = new Map<string, string>();
    for (const layer of environmentOf(this.task)) {
      if (layer instanceof PyDict) {
        for (const [key, inner] of layer) {
          const value = environmentValue(templar, this.task, inner);
          if (value !== undefined) env.set(pyStr(key as PyValue), value);
        }
        continue;
      }
      const value = templateTaskField(templar, this.task, 'environment', layer);
      if (!(value instanceof PyDict)) throw new FleetError(`The 'environment' keyword takes a list of dictionaries (or single dictionary), but got a ${pyStr(value)} instead.`);
      for (const [key, inner] of value) env.set(pyStr(key as PyValue), pyStr(inner));
    }
    return env;
  }

  private async invoke(
    def: ModuleDef,
    given: PyDict,
    args: Map<string, PyValue>,
    run: { check: boolean; diff: boolean; templar: Templar; scope: VariableScope; fields: ValidatedFields; order?: SendOrder | undefined; job?: AsyncJob | undefined },
  ): Promise<ModuleResult> {
    const { timeoutMs, delegate } = run.fields;
    const connectionKey = delegate ?? this.host.name;
    const lookup = (name: string) => this.connectionVar(name, delegate);
    const plan = () => planConnection(connectionKey, lookup, this.play.run.connectionDefaults);
    const connect = () => this.play.run.pool.get(connectionKey, plan, () => plannedEndpoint(connectionKey, lookup, this.play.run.connectionDefaults));
    // raw.py warns before anything else, check mode included, and hands its command to the connection without the environment.
    if (def.ignoresEnvironment && environmentOf(this.task).some(pyTruthy)) this.play.run.events.warning(`${def.name} module does not support the environment keyword`, this.worker);
    let hostConnection = def.controllerOnly || def.connectsItself ? null : await connect();
    const wrap = { become: this.become(run.templar), environment: def.ignoresEnvironment ? new Map<string, string>() : run.fields.environment };
    let timedOutAfter: number | undefined;
    const ctx: ModuleContext = {
      host: this.host.name,
      userland: hostConnection?.userland ?? { system: '', machine: '', stat: 'gnu', sha1: 'sha1sum', base64Decode: '-d', uname: '', home: '' },
      facts: this.host.facts,
      check: run.check,
      diff: run.diff,
      templar: run.templar,
      findFile: (kind, path) => findNeedle(kind, path, this.task.role, this.play.play.file),
      remote: async (script: Script, options?: { timeoutMs?: number; readOnly?: boolean }) => {
        const current = hostConnection;
        if (!current) throw new FleetError(`module ${def.name} is controller-only and cannot run shell`);
        const limit = options?.timeoutMs ?? timeoutMs;
        const send: ExecScript = (text, opts = {}) => {
          const sent = wrapWithLibraries(text, opts.libraries, wrap);
          const hook = this.play.run.options.scriptHook;
          const noLog = hook ? this.boolKeyword('no_log', run.templar, false) : false;
          const standIn = hook?.({ host: this.host.name, task: this.info, module: def.name, script, text: wrapScript(inlineLibraries(text, opts.libraries), wrap), noLog, args, readOnly: options?.readOnly === true });
          return standIn ?? current.connection.exec(sent.script, { ...opts, libraries: sent.libraries });
        };
        // A pipelined loop item is sent only after the item before it: the host runs them in item order.
        if (run.order) await run.order.before;
        const answer = runRemote(send, current.userland, script, limit === undefined ? {} : { timeoutMs: limit });
        run.order?.markSent();
        const output = await answer;
        const refused = becomeFailure(wrap.become, output.rc, output.stray + [...output.fields.keys()].join(''), output.stderr);
        if (refused) throw new FleetError(refused);
        if (output.timedOut && options?.timeoutMs === undefined && timeoutMs !== undefined) timedOutAfter = timeoutMs / 1000;
        return output;
      },
      reconnect: async () => {
        if (plan().kind === 'local') this.play.run.events.warning(RESET_NOT_IMPLEMENTED, this.worker);
        this.play.run.pool.reset(connectionKey, plan);
        hostConnection = null;
        hostConnection = await connect();
      },
      transport: () => plan().kind,
      action: this.task.actionAs,
      task: { name: this.info.name, at: this.task.at },
      taskArgs: given,
      display: (line) => this.play.run.events.announce?.(line),
      warn: (message) => this.play.run.events.warning(message, this.worker),
      vars: run.scope,
      ...(this.play.run.options.asyncDir === undefined ? {} : { asyncDir: this.play.run.options.asyncDir }),
    };
    // The callback gets the job's end censored by no_log (TaskResult.clean_copy): its jid is None.
    const asyncEvent = (event: Omit<AsyncJobEvent, 'host'>) => this.hooks.asyncJob(this.noLogInEffect && event.kind !== 'poll' ? { ...event, jid: null } : event);
    const ran = run.job ? await runAsyncJob(def, given, args, ctx, run.job, asyncEvent) : await def.run(args, ctx);
    const invocation = run.job || 'invocation' in ran ? null : invocationFor(def, given, args, ctx);
    if (invocation) ran.invocation = invocation;
    // `invocation: undefined`: an action's own result, with no module run to report (unarchive's creates skip).
    else if ('invocation' in ran && ran.invocation === undefined) delete ran.invocation;
    // TaskExecutor._execute's TaskTimeoutError result: the module's own result is dropped.
    const result: ModuleResult =
      timedOutAfter === undefined
        ? ran
        : { failed: true, changed: false, timedout: { period: timedOutAfter }, msg: `The ${this.task.action} action failed to execute in the expected time frame (${timedOutAfter}) and was terminated` };
    if (delegate) {
      const address = this.connectionVar('ansible_host', delegate);
      result._ansible_delegated_vars = { ansible_delegated_host: delegate, ansible_host: address === undefined || address === null ? delegate : pyStr(address) };
    }
    return result;
  }

  /** The fields Task.post_validate templates that the module's run uses: an undefined variable in one fails the task before it runs. */
  private validatedFields(templar: Templar): ValidatedFields {
    const timeoutRaw = this.keyword('timeout');
    const timeoutMs = timeoutRaw === undefined || timeoutRaw === null ? undefined : Number(pyStr(templateTaskField(templar, this.task, 'timeout', timeoutRaw))) * 1000;
    return { timeoutMs, delegate: this.delegateHost(templar), environment: this.environment(templar) };
  }

  private delegateHost(templar: Templar): string | undefined {
    const raw = this.task.keywords.get('delegate_to');
    if (raw === undefined || raw === null) return undefined;
    const name = pyStr(templateTaskField(templar, this.task, 'delegate_to', raw));
    return name === this.host.name ? undefined : name;
  }

  /** Connection variables come from the delegated host when there is one. */
  private connectionVar(name: string, delegate: string | undefined): PyValue | undefined {
    if (!delegate) return taskConnectionLookup(this.scope, this.templar, this.keyword('connection'))(name);
    const target = this.play.run.stateOf(delegate);
    if (!target) {
      if (name === 'ansible_connection' && ['localhost', '127.0.0.1', '::1'].includes(delegate)) return 'local';
      return undefined;
    }
    const scope = hostScope(this.play, target, null);
    const value = scope.get(name);
    return value === undefined ? undefined : this.templarFor(scope).template(value);
  }
}

/**
 * One `environment:` value, or undefined when it needs ansible_env before facts exist: Ansible's
 * Task._post_validate_environment drops such a key (so `PATH: "{{ ansible_env.PATH }}:/x"` at
 * play level does not fail the fact gathering that defines ansible_env) and keeps the others.
 */
function environmentValue(templar: Templar, task: Task, value: PyValue): string | undefined {
  try {
    return pyStr(templar.template(value));
  } catch (error) {
    if (!(error instanceof PyUndefinedError)) throw error;
    if (error.message.includes('ansible_env')) return undefined;
    throw undefinedTaskFieldError(task, 'environment', error);
  }
}

/**
 * A `register:` that is no variable name (`register: 200`): TaskExecutor fails the task with
 * this, and the strategy raises it again when registering, which ends the run.
 */
export function invalidRegisterError(task: Task): FleetError | undefined {
  const name = task.keywords.get('register');
  if (name === undefined || name === null || name === '' || isIdentifier(name)) return undefined;
  return new FleetError(`Invalid variable name in 'register' specified: '${pyStr(name)}'`);
}

/**
 * An error from inside a module's run (a result of that item in a loop), as opposed to one
 * raised around it — templating the arguments, `when` — which ends a loop.
 */
class ModuleRaised {
  constructor(readonly cause: unknown) {}
}
