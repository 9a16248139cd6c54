/**
 * Many `ansible-playbook` runs for the price of one start-up: ansible_playbook_runs.py imports
 * Ansible once and forks each run from there (importing is most of a short run's time). Each
 * run's status, stdout and stderr are what `spawnSync('ansible-playbook', args, {cwd, env})`
 * gives; ansible_playbook_runs.test.ts holds it to that.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface PlaybookJob {
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export interface PlaybookRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

const DRIVER = join(import.meta.dirname, 'ansible_playbook_runs.py');

/** The interpreter ansible-playbook's `#!` line names, found on `env`'s PATH. */
function interpreter(env: NodeJS.ProcessEnv): string {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    let text: string;
    try {
      text = readFileSync(join(dir, 'ansible-playbook'), 'utf8');
    } catch {
      continue;
    }
    const shebang = /^#!\s*(\S+)/.exec(text);
    if (shebang?.[1]) return shebang[1];
  }
  throw new Error('ansible-playbook is not on PATH');
}

/** One driver process: the runs that share a cwd and an environment (Ansible reads its settings once, as it is imported). */
async function runGroup(cwd: string, env: NodeJS.ProcessEnv, jobs: string[][]): Promise<PlaybookRun[]> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-ansible-runs-'));
  try {
    writeFileSync(join(dir, 'jobs.json'), JSON.stringify(jobs));
    const statuses = await new Promise<number[]>((resolve, reject) => {
      const child = execFile(interpreter(env), [DRIVER, join(dir, 'jobs.json'), dir], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${DRIVER} failed: ${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as number[]);
      });
      child.stdin?.end();
    });
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    return statuses.map((status, index) => ({
      // Killed by a signal: spawnSync's status is null.
      status: status < 0 ? null : status,
      stdout: read('stdout.import') + read(`stdout.${index}`),
      stderr: read('stderr.import') + read(`stderr.${index}`),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `ansible-playbook ARGS` for each job (cwd and env default to this process's), results in job order. */
export async function ansiblePlaybookRuns(jobs: readonly PlaybookJob[]): Promise<PlaybookRun[]> {
  const groups = new Map<string, { cwd: string; env: NodeJS.ProcessEnv; indexes: number[] }>();
  jobs.forEach((job, index) => {
    const cwd = job.cwd ?? process.cwd();
    const env = job.env ?? process.env;
    const key = JSON.stringify([cwd, Object.entries(env).sort(([a], [b]) => (a < b ? -1 : 1))]);
    const group = groups.get(key) ?? { cwd, env, indexes: [] };
    group.indexes.push(index);
    groups.set(key, group);
  });
  const results: PlaybookRun[] = [];
  for (const { cwd, env, indexes } of groups.values()) {
    const runs = await runGroup(cwd, env, indexes.map((index) => jobs[index]?.args ?? []));
    runs.forEach((run, position) => {
      const index = indexes[position];
      if (index !== undefined) results[index] = run;
    });
  }
  return results;
}
