import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { loadWebhookConfig } from '../../src/webhook/config.js';
import { repoRoot } from '../support/sandbox.js';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fleet-webhook-config-')), 'webhook.yml');
  writeFileSync(file, text);
  return file;
}

function errorOf(file: string): ValidationError {
  try {
    loadWebhookConfig(file, '/srv/fleet');
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

const valid = 'allowed_repos: [timmy/fleet]\nallowed_events: [push]\nallowed_branches: [main]\ndeploy_script: scripts/deploy_on_webhook.sh\n';

describe('webhook config', () => {
  it('loads the repository config, resolving paths from the server directory', () => {
    const config = loadWebhookConfig(join(repoRoot, 'config', 'webhook.yml'), '/srv/fleet');
    expect(config).toMatchObject({ allowed_events: ['push', 'pull_request'], allowed_branches: ['main'], require_signature: true, deploy_script: '/srv/fleet/scripts/deploy_on_webhook.sh', database: '/srv/fleet/.fleet/webhook.sqlite' });
  });

  it('defaults require_signature to true', () => {
    expect(loadWebhookConfig(configFile(valid), '/srv').require_signature).toBe(true);
  });

  it('names file:line:col of a bad value, an unknown key and a YAML error', () => {
    const badEvent = configFile(valid.replace('[push]', '[push, tag]'));
    expect(errorOf(badEvent).format()).toMatch(new RegExp(`^${badEvent}:2:\\d+: webhook config: allowed_events\\[1\\]: `));
    const badRepo = configFile(valid.replace('[timmy/fleet]', '\n  - fleet'));
    expect(errorOf(badRepo).format()).toContain(`${badRepo}:2:5: webhook config: allowed_repos[0]: must be owner/name`);
    const unknown = configFile(`${valid}secret: hunter2\n`);
    expect(errorOf(unknown).format()).toContain(`${unknown}:5:9: webhook config: secret:`);
    const missing = configFile(valid.replace(/deploy_script.*\n/, ''));
    expect(errorOf(missing).format()).toContain(`${missing}:1:1: webhook config: deploy_script:`);
    const yaml = configFile('allowed_repos: [timmy/fleet\n');
    expect(errorOf(yaml).format()).toMatch(new RegExp(`^${yaml}:\\d+:\\d+: YAML syntax error`));
  });
});
