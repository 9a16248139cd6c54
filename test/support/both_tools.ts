/**
 * The same jobs through both tools, for differential tests with many short runs:
 * `ansible-playbook ARGS` batched in one Python process (ansible_playbook_runs.ts) while
 * `fleet apply ARGS` runs each job in turn, one process at a time beside it.
 */
import { execFile } from 'node:child_process';
import { ansiblePlaybookRuns, type PlaybookJob, type PlaybookRun } from './ansible_playbook_runs.js';

export interface BothRuns {
  ansible: PlaybookRun;
  fleet: PlaybookRun;
}

/** `FLEET apply ARGS` as spawnSync would give it: stdin empty, status null when killed. */
function fleetRun(fleet: string, { args, cwd, env }: PlaybookJob): Promise<PlaybookRun> {
  return new Promise((resolve) => {
    const options = { cwd: cwd ?? process.cwd(), env: env ?? process.env, encoding: 'utf8' as const, maxBuffer: 64 * 1024 * 1024 };
    const child = execFile(fleet, ['apply', ...args], options, (error, stdout, stderr) =>
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

/** Each job run by ansible-playbook and by `fleet` (the executable), in job order. */
export async function runBoth(fleet: string, jobs: readonly PlaybookJob[]): Promise<BothRuns[]> {
  const fleetRuns = (async () => {
    const runs: PlaybookRun[] = [];
    for (const job of jobs) runs.push(await fleetRun(fleet, job));
    return runs;
  })();
  const [ansible, fleetResults] = await Promise.all([ansiblePlaybookRuns(jobs), fleetRuns]);
  return jobs.map((_, index) => ({ ansible: ansible[index] as PlaybookRun, fleet: fleetResults[index] as PlaybookRun }));
}

export interface JobBatch {
  /** Adds a job; what it returns gives the job's runs once `run` has run them all. */
  add(job: PlaybookJob): () => BothRuns;
  run(): Promise<void>;
}

/**
 * Jobs a test file adds as it declares its cases, run together in a `beforeAll`, each case then
 * reading its own. A job added twice (same arguments, cwd and environment) runs once.
 */
export function jobBatch(fleet: string): JobBatch {
  const jobs: PlaybookJob[] = [];
  const indexes = new Map<string, number>();
  let runs: BothRuns[] = [];
  return {
    add(job) {
      const key = JSON.stringify([job.args, job.cwd, job.env]);
      const index = indexes.get(key) ?? jobs.push(job) - 1;
      indexes.set(key, index);
      return () => {
        const both = runs[index];
        if (!both) throw new Error(`no runs for ${job.args.join(' ')}: did the batch run?`);
        return both;
      };
    },
    async run() {
      runs = await runBoth(fleet, jobs);
    },
  };
}
