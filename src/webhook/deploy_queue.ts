import type { DeployRequest } from './gitea_event.js';

export interface DeployJob {
  request: DeployRequest;
  /** Delivery ids this job answers. */
  deliveries: string[];
}

/** Runs one job; resolves true when the deploy succeeded. */
export type RunDeploy = (job: DeployJob) => Promise<boolean>;

/**
 * One deploy at a time. Deliveries that arrive while a deploy runs coalesce into a single
 * follow-up deploy of the newest commit asked for; that follow-up is dropped when the
 * deploy that just finished succeeded with the same commit (a merge sends both a push and
 * a pull_request event).
 */
export class DeployQueue {
  private running: DeployJob | undefined;
  private pending: DeployJob | undefined;
  private drained: Promise<void> = Promise.resolve();

  constructor(
    private readonly run: RunDeploy,
    private readonly onDropped: (job: DeployJob) => void,
  ) {}

  /** 'started' when the deploy begins now, 'queued' when it waits for the running one. */
  submit(request: DeployRequest, delivery: string): 'started' | 'queued' {
    if (this.running) {
      this.pending = { request, deliveries: [...(this.pending?.deliveries ?? []), delivery] };
      return 'queued';
    }
    this.drained = this.loop({ request, deliveries: [delivery] });
    return 'started';
  }

  /** Resolves when no deploy runs or waits. */
  idle(): Promise<void> {
    return this.drained;
  }

  snapshot(): { running: DeployJob | null; pending: DeployJob | null } {
    return { running: this.running ?? null, pending: this.pending ?? null };
  }

  private async loop(first: DeployJob): Promise<void> {
    let job: DeployJob | undefined = first;
    while (job) {
      this.running = job;
      const succeeded = await this.run(job).catch(() => false);
      const next: DeployJob | undefined = this.pending;
      this.pending = undefined;
      if (next && succeeded && next.request.commit === job.request.commit) {
        this.onDropped(next);
        job = undefined;
      } else job = next;
    }
    this.running = undefined;
  }
}
