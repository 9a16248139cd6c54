import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createFleetRepo, git, gitEnv, sitePlaybook, type FleetRepo } from '../pull/git_fixture.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { repoRoot, type SandboxHost } from '../support/sandbox.js';

const stepSchema = z.object({ name: z.string().optional(), uses: z.string().optional(), run: z.string().optional(), env: z.record(z.string(), z.string()).optional(), with: z.record(z.string(), z.unknown()).optional() });
const workflowSchema = z.object({
  name: z.string(),
  on: z.record(z.string(), z.object({ branches: z.array(z.string()) })),
  env: z.record(z.string(), z.string()),
  concurrency: z.object({ group: z.string(), 'cancel-in-progress': z.boolean() }).optional(),
  jobs: z.record(z.string(), z.object({ 'runs-on': z.string(), if: z.string().optional(), defaults: z.object({ run: z.object({ shell: z.literal('sh') }) }), steps: z.array(stepSchema) })),
});
type Workflow = z.infer<typeof workflowSchema>;
type Step = z.infer<typeof stepSchema>;

function workflow(file: string): Workflow {
  return workflowSchema.parse(parse(readFileSync(join(repoRoot, '.gitea', 'workflows', file), 'utf8')));
}

function step(flow: Workflow, job: string, name: string): Step {
  const found = flow.jobs[job]?.steps.find((each) => each.name === name);
  if (!found?.run) throw new Error(`no run step ${name} in job ${job}`);
  return found;
}

const DEPLOYED = 'workflow.txt';
let repo: FleetRepo;
let workspace: string;
let bin: string;

interface StepRun {
  status: number | null;
  output: string;
  summary: string;
}

/**
 * Runs a step's `run:` as the runner would (`sh -e`), in the workspace, with the workflow's
 * and the step's env (secrets left out) and the runner's files.
 */
function runStep(flow: Workflow, job: string, name: string, extraEnv: Record<string, string> = {}): StepRun {
  const found = step(flow, job, name);
  const runnerTemp = mkdtempSync(join(tmpdir(), 'fleet-runner-'));
  const summary = join(runnerTemp, 'summary.md');
  writeFileSync(summary, '');
  const env = Object.fromEntries(Object.entries({ ...flow.env, ...found.env }).filter(([, value]) => !value.includes('${{')));
  const result = spawnSync('sh', ['-e', '-c', found.run as string], {
    cwd: workspace,
    env: { ...gitEnv, PATH: `${bin}:${process.env.PATH ?? ''}`, GITHUB_STEP_SUMMARY: summary, RUNNER_TEMP: runnerTemp, ANSIBLE_TIMEOUT: '5', ...env, ...extraEnv },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { status: result.status, output: result.stdout + result.stderr, summary: readFileSync(summary, 'utf8') };
}

const onHost = (host: SandboxHost) => readFileSync(join(host.home, DEPLOYED), 'utf8');

beforeAll(() => {
  repo = createFleetRepo(DEPLOYED);
  workspace = join(repo.root, 'workspace');
  git(repo.root, 'clone', '--quiet', repo.bare, workspace);
  // The workflow runs the deploy script of the checked-out repository.
  mkdirSync(join(workspace, 'scripts'));
  copyFileSync(join(repoRoot, 'scripts', 'deploy_on_webhook.sh'), join(workspace, 'scripts', 'deploy_on_webhook.sh'));
  spawnSync('chmod', ['+x', join(workspace, 'scripts', 'deploy_on_webhook.sh')]);
  bin = fleetBinDir();
});

describe('.gitea/workflows', () => {
  it('preview runs on pull requests to main: validate, then a check-mode diff into the job summary', () => {
    const pr = workflow('pr.yml');
    expect(Object.keys(pr.on)).toEqual(['pull_request']);
    expect(pr.on.pull_request?.branches).toEqual(['main']);
    const names = pr.jobs.preview?.steps.map((each) => each.name ?? each.uses);
    expect(names).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'Install fleet', 'Validate', 'SSH access to the wizards', 'What this pull request would change']);
    expect(step(pr, 'preview', 'Validate').run?.trim()).toBe('fleet validate');
    expect(step(pr, 'preview', 'What this pull request would change').run).toContain('fleet apply --check --diff');
    expect(step(pr, 'preview', 'SSH access to the wizards').env).toEqual({ FLEET_SSH_KEY: '${{ secrets.FLEET_SSH_KEY }}', FLEET_KNOWN_HOSTS: '${{ secrets.FLEET_KNOWN_HOSTS }}' });
  });

  it('deploy runs on pushes to main, one at a time, only when the repository opts in', () => {
    const deploy = workflow('deploy.yml');
    expect(Object.keys(deploy.on)).toEqual(['push']);
    expect(deploy.on.push?.branches).toEqual(['main']);
    expect(deploy.concurrency).toEqual({ group: 'fleet-deploy', 'cancel-in-progress': false });
    expect(deploy.jobs.deploy?.if).toBe("vars.FLEET_DEPLOY_FROM_CI == 'true'");
    expect(deploy.jobs.deploy?.steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } });
    expect(step(deploy, 'deploy', 'Deploy').run).toContain('scripts/deploy_on_webhook.sh "$GITHUB_SHA"');
  });

  it('every run: block is POSIX sh that shellcheck accepts', () => {
    for (const file of ['pr.yml', 'deploy.yml']) {
      for (const job of Object.values(workflow(file).jobs)) {
        for (const each of job.steps.filter((candidate) => candidate.run)) {
          const result = spawnSync('shellcheck', ['-s', 'sh', '-'], { input: each.run, encoding: 'utf8' });
          expect(result.stdout, `${file}: ${each.name}`).toBe('');
        }
      }
    }
  });

  it('the deploy step converges the sandbox hosts to the pushed commit', () => {
    const sha = git(repo.work, 'rev-parse', 'HEAD');
    const run = runStep(workflow('deploy.yml'), 'deploy', 'Deploy', { GITHUB_SHA: sha });
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain(`deployed ${sha}`);
    for (const host of repo.hosts) expect(onHost(host)).toBe('release 1\n');
  });

  it('on a pull request, validate passes and the check-mode diff lands in the summary, changing nothing', () => {
    const prCommit = repo.commit({ 'playbooks/site.yml': sitePlaybook('2') }, 'feature');
    git(workspace, 'fetch', '--quiet', 'origin');
    git(workspace, 'checkout', '--quiet', '--detach', prCommit);
    const pr = workflow('pr.yml');
    const validate = runStep(pr, 'preview', 'Validate');
    expect(validate.status, validate.output).toBe(0);
    expect(validate.output).toMatch(/^ok: \d+ files valid/m);
    const preview = runStep(pr, 'preview', 'What this pull request would change');
    expect(preview.status, preview.output).toBe(0);
    expect(preview.summary).toContain('## What merging this would change');
    expect(preview.summary).toContain('-release 1');
    expect(preview.summary).toContain('+release 2');
    expect(preview.summary).toMatch(/h14\s+: ok=1\s+changed=1/);
    for (const host of repo.hosts) expect(onHost(host)).toBe('release 1\n');
  });

  it('a pull request that breaks the content fails validate and the preview step', () => {
    writeFileSync(join(workspace, 'playbooks', 'site.yml'), `${sitePlaybook('3')}    - name: no such module\n      not_a_module: {}\n`);
    const pr = workflow('pr.yml');
    const validate = runStep(pr, 'preview', 'Validate');
    expect(validate.status).not.toBe(0);
    expect(validate.output).toContain('playbooks/site.yml:');
    const preview = runStep(pr, 'preview', 'What this pull request would change');
    expect(preview.status).not.toBe(0);
    expect(preview.summary).toContain('not_a_module');
  });
});
