import type { Block, Node, RoleInstance, Task } from '../playbook/model.js';

/** A task a host is due to run, with its position in play order (for lockstep). */
export interface Step {
  task: Task;
  order: readonly number[];
  /** Whether the host reached this task through a block's `rescue`. */
  inRescue: boolean;
}

/** What happened when a host ran a step; decides rescue/always and dynamic includes. */
export interface StepOutcome {
  /** Failed and not ignored: the enclosing block stops, its rescue (if any) runs. */
  failed: boolean;
  /** Unreachable hosts stop at once (no rescue, no always). */
  unreachable?: boolean;
  /** Tasks an `include_tasks`/`include_role` brought in, run right after it. */
  included?: Node[];
  /** `meta: end_host`/`end_play`: stop this host's iteration. */
  end?: boolean;
  /** `meta: clear_host_errors`: the failure the host's blocks carry so far is forgotten. */
  clearErrors?: boolean;
  /** The task ran on the host (ok, changed or failed; not skipped): what makes its role count as run. */
  ran?: boolean;
}

/**
 * Role.has_run's records for one host, across its plays: the roles a task of which ran there
 * (_had_task_run), and the roles whose listing the host finished after that (_completed), which
 * a later listing of the same role skips unless it allows duplicates.
 */
export class RoleRuns {
  readonly taskRan = new Set<RoleInstance>();
  readonly completed = new Set<RoleInstance>();
}

export interface HostIterationResult {
  failed: boolean;
  unreachable: boolean;
  ended: boolean;
}

type Flow = Generator<Step, { failed: boolean; stop: boolean }, StepOutcome>;

/**
 * Walks a play's task tree for one host as Ansible's PlayIterator does: a failed task ends
 * its block, the block's `rescue` runs (and clears the failure if it completes), `always`
 * runs either way; an unreachable host stops.
 */
export class HostIterator {
  private readonly flow: Flow;
  private pending: Step | null = null;
  /** How many `meta: clear_host_errors` the host has run. */
  private clears = 0;
  private done = false;
  readonly result: HostIterationResult = { failed: false, unreachable: false, ended: false };

  /** @param roleRuns the host's role records, shared by its iterators and plays. */
  constructor(
    sections: readonly Node[],
    private readonly roleRuns: RoleRuns = new RoleRuns(),
  ) {
    this.flow = this.sections(sections);
  }

  /** The role a block lists (not a block inside that role's own tasks), unless the role allows duplicates. */
  private listedRole(block: Block): RoleInstance | null {
    const role = block.role;
    if (!role || (block.parent !== null && block.parent.role === role) || role.allowDuplicates) return null;
    return role;
  }

  /** The next step, without moving past it. */
  peek(): Step | null {
    if (this.done) return null;
    if (!this.pending) this.advance({ failed: false });
    return this.pending;
  }

  /** Reports how the pending step went and moves to the next one. */
  complete(outcome: StepOutcome): void {
    this.advance(outcome);
  }

  private started = false;

  private advance(outcome: StepOutcome): void {
    const next = this.started ? this.flow.next(outcome) : this.flow.next(undefined as unknown as StepOutcome);
    this.started = true;
    if (next.done) {
      this.pending = null;
      this.done = true;
      this.result.failed = next.value.failed && !this.result.unreachable;
      return;
    }
    this.pending = next.value;
  }

  /** The play's sections (blocks), or what a handler's include brought in. */
  private *sections(sections: readonly Node[]): Flow {
    for (const [index, section] of sections.entries()) {
      const outcome = section.kind === 'block' ? yield* this.block(section, [index], false) : yield* this.task(section, [index], false);
      if (outcome.failed || outcome.stop) return outcome;
    }
    return { failed: false, stop: false };
  }

  private *nodes(nodes: readonly Node[], prefix: readonly number[], inRescue: boolean): Flow {
    for (const [index, node] of nodes.entries()) {
      const order = [...prefix, index];
      const outcome = node.kind === 'block' ? yield* this.block(node, order, inRescue) : yield* this.task(node, order, inRescue);
      if (outcome.failed || outcome.stop) return outcome;
    }
    return { failed: false, stop: false };
  }

  private *task(task: Task, order: readonly number[], inRescue: boolean): Flow {
    const outcome = yield { task, order, inRescue };
    if (outcome.unreachable) {
      this.result.unreachable = true;
      return { failed: true, stop: true };
    }
    if (outcome.end) {
      this.result.ended = true;
      return { failed: false, stop: true };
    }
    if (outcome.ran && task.role) this.roleRuns.taskRan.add(task.role);
    if (outcome.failed) return { failed: true, stop: false };
    if (outcome.clearErrors) this.clears += 1;
    if (outcome.included && outcome.included.length > 0) return yield* this.nodes(outcome.included, [...order, 0], inRescue);
    return { failed: false, stop: false };
  }

  /**
   * A block; one that lists a role the host completed is skipped (linear.py skips each of its
   * tasks). Reaching the end of a role's listing completes the role, as its implicit
   * `role_complete` does, when one of its tasks ran on the host.
   */
  private *block(block: Block, order: readonly number[], inRescue: boolean): Flow {
    const role = this.listedRole(block);
    if (role && this.roleRuns.completed.has(role)) return { failed: false, stop: false };
    const outcome = yield* this.blockBody(block, order, inRescue);
    if (role && !outcome.failed && !outcome.stop && this.roleRuns.taskRan.has(role)) this.roleRuns.completed.add(role);
    return outcome;
  }

  private *blockBody(block: Block, order: readonly number[], inRescue: boolean): Flow {
    let outcome = yield* this.nodes(block.block, [...order, 0], inRescue);
    if (outcome.stop && !outcome.failed) return outcome;
    if (outcome.failed && !this.result.unreachable && block.rescue.length > 0) {
      outcome = yield* this.nodes(block.rescue, [...order, 1], true);
    }
    if (this.result.unreachable || (outcome.stop && !outcome.failed)) return outcome;
    if (block.always.length > 0) {
      const clears = this.clears;
      const always = yield* this.nodes(block.always, [...order, 2], inRescue);
      if (always.failed || always.stop) return always;
      // PlayIterator.clear_host_errors resets the block's fail state: the play goes on.
      if (this.clears !== clears) return { failed: false, stop: false };
    }
    return outcome;
  }
}

/** Lexicographic order of step positions: the earliest task in play order runs first. */
export function compareOrder(a: readonly number[], b: readonly number[]): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const diff = (a[i] as number) - (b[i] as number);
    if (diff !== 0) return diff;
  }
  return a.length - b.length;
}
