import { z } from 'zod';
import type { WebhookConfig } from './config.js';

/** What a delivery asks to deploy: the repository and the commit a branch now points at. */
export interface DeployRequest {
  repo: string;
  branch: string;
  commit: string;
  cloneUrl?: string;
}

export type Classification = { kind: 'deploy'; request: DeployRequest } | { kind: 'ignored'; reason: string } | { kind: 'malformed'; reason: string };

const repository = z.looseObject({ full_name: z.string().min(1), clone_url: z.string().optional() });
const sha = z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'must be a commit id');

// https://docs.gitea.com/usage/webhooks — the fields fleet reads of each event.
const pushPayload = z.looseObject({ ref: z.string().min(1), after: sha, repository });
const pullRequestPayload = z.looseObject({
  action: z.string(),
  repository,
  pull_request: z.looseObject({
    merged: z.boolean().nullish(),
    merge_commit_sha: sha.nullish(),
    base: z.looseObject({ ref: z.string().min(1) }),
  }),
});

const ZERO_COMMIT = /^0+$/;

/** Decides what a verified delivery means: deploy a commit, ignore it (and why), or malformed. */
export function classifyDelivery(event: string, payload: unknown, config: WebhookConfig): Classification {
  if (!(config.allowed_events as string[]).includes(event)) return { kind: 'ignored', reason: `event ${event || '(none)'} is not allowed` };
  const target = event === 'push' ? pushTarget(payload) : pullRequestTarget(payload);
  if (target.kind !== 'deploy') return target;
  const { repo, branch } = target.request;
  if (!config.allowed_repos.includes(repo)) return { kind: 'ignored', reason: `repository ${repo} is not allowed` };
  if (!config.allowed_branches.includes(branch)) return { kind: 'ignored', reason: `branch ${branch} is not allowed` };
  return target;
}

function pushTarget(payload: unknown): Classification {
  const parsed = pushPayload.safeParse(payload);
  if (!parsed.success) return malformed(parsed.error);
  const { ref, after, repository: repo } = parsed.data;
  if (!ref.startsWith('refs/heads/')) return { kind: 'ignored', reason: `${ref} is not a branch` };
  if (ZERO_COMMIT.test(after)) return { kind: 'ignored', reason: `${ref} was deleted` };
  return { kind: 'deploy', request: withCloneUrl({ repo: repo.full_name, branch: ref.slice('refs/heads/'.length), commit: after }, repo.clone_url) };
}

function pullRequestTarget(payload: unknown): Classification {
  const parsed = pullRequestPayload.safeParse(payload);
  if (!parsed.success) return malformed(parsed.error);
  const { action, repository: repo, pull_request: pr } = parsed.data;
  if (action !== 'closed' || pr.merged !== true) return { kind: 'ignored', reason: `pull request ${action}, not merged` };
  if (!pr.merge_commit_sha) return { kind: 'malformed', reason: 'merged pull request without merge_commit_sha' };
  return { kind: 'deploy', request: withCloneUrl({ repo: repo.full_name, branch: pr.base.ref, commit: pr.merge_commit_sha }, repo.clone_url) };
}

function withCloneUrl(request: DeployRequest, cloneUrl: string | undefined): DeployRequest {
  return cloneUrl ? { ...request, cloneUrl } : request;
}

function malformed(error: z.ZodError): Classification {
  const issue = error.issues[0];
  return { kind: 'malformed', reason: issue ? `${issue.path.join('.') || 'payload'}: ${issue.message}` : 'invalid payload' };
}
