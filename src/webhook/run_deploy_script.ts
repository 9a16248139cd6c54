import { spawn } from 'node:child_process';
import type { DeployJob } from './deploy_queue.js';

export const SECRET_ENV = 'GITEA_WEBHOOK_SECRET';
const TAIL_BYTES = 4000;

export interface ScriptResult {
  exitCode: number | null;
  outputTail: string;
}

/**
 * Runs the deploy script for a job. What to deploy is passed in the environment
 * (FLEET_DEPLOY_REPO, _BRANCH, _COMMIT, _CLONE_URL, _DELIVERIES); the webhook secret is not.
 */
export function runDeployScript(script: string, job: DeployJob, env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  const childEnv: NodeJS.ProcessEnv = {
    ...env,
    FLEET_DEPLOY_REPO: job.request.repo,
    FLEET_DEPLOY_BRANCH: job.request.branch,
    FLEET_DEPLOY_COMMIT: job.request.commit,
    FLEET_DEPLOY_DELIVERIES: job.deliveries.join(','),
    ...(job.request.cloneUrl ? { FLEET_DEPLOY_CLONE_URL: job.request.cloneUrl } : {}),
  };
  delete childEnv[SECRET_ENV];
  return new Promise((resolve) => {
    let tail = '';
    const keep = (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
    };
    const child = spawn(script, [], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (error) => resolve({ exitCode: null, outputTail: `cannot run ${script}: ${error.message}` }));
    child.once('close', (code) => resolve({ exitCode: code, outputTail: tail }));
  });
}
