import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FleetError } from '../../src/errors.js';
import { checkFleet, enforceFleetPolicy } from '../../src/fleet/index.js';
import { bannedMatches, loadBannedPolicy } from '../../src/fleet/policy.js';
import { fleetApply } from '../apply/support.js';
import { repoRoot } from '../support/sandbox.js';
import { copyOfContent, removeCopies, runInput } from './content.js';

afterAll(removeCopies);

const policy = loadBannedPolicy(join(repoRoot, 'BANNED_PROVIDERS.yml'));
const kinds = (text: string) => bannedMatches(policy, text).map((match) => `${match.kind}:${match.value}`);
const formatted = (root: string, inventory = 'inventory/hosts.yml', playbook = 'playbooks/site.yml', extra: string[] = []) =>
  checkFleet(runInput(root, inventory, playbook, extra)).map((error) => error.format());

/** A line number of `file` holding `text` (1-based). */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

describe('BANNED_PROVIDERS.yml matching', () => {
  it('finds provider ids and env vars as words, model globs at word starts, endpoints anywhere', () => {
    expect(kinds('provider: Anthropic')).toEqual(['provider:anthropic']);
    expect(kinds('ANTHROPIC_API_KEY=x')).toEqual(['env var:ANTHROPIC_API_KEY']);
    expect(kinds('model: claude-3-opus')).toEqual(['model:claude-*', 'provider:claude']);
    expect(kinds('openrouter model anthropic/claude-sonnet-4')).toEqual(['model:anthropic/*', 'provider:anthropic', 'model:claude-*', 'provider:claude']);
    expect(kinds('https://API.anthropic.com/v1')).toEqual(['endpoint:api.anthropic.com', 'provider:anthropic']);
  });

  it('leaves the golden chain and look-alike words alone', () => {
    for (const text of ['kimi-coding', 'google/gemini-2.5-pro', 'https://openrouter.ai/api/v1', 'gemma4:latest', 'claudette', 'anthropics', 'MY_ANTHROPIC_API_KEY_OLD']) {
      expect(kinds(text), text).toEqual([]);
    }
  });
});

describe('fleet checks of the repository content', () => {
  it('accepts the real inventory and the sandbox inventory with every playbook', () => {
    for (const playbook of ['site', 'golden_state', 'deadman_switch', 'cron_schedule', 'request_log', 'agent_startup']) {
      expect(formatted(repoRoot, 'inventory/hosts.yml', `playbooks/${playbook}.yml`)).toEqual([]);
      expect(formatted(repoRoot, 'sandbox/inventory.yml', `playbooks/${playbook}.yml`)).toEqual([]);
    }
  });

  it('names the var file and line of a banned model in the provider chain', () => {
    const root = copyOfContent();
    const file = join(root, 'group_vars/wizards.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('model: google/gemini-2.5-pro', 'model: anthropic/claude-opus-4'));
    const line = lineOf(file, 'anthropic/claude-opus-4');
    // One error for the value (the schema and the scan both see it), none for what it renders.
    expect(formatted(root)).toEqual([`${file}:${line}:12: golden state: provider_chain[1].model: banned model "anthropic/*" (BANNED_PROVIDERS.yml)`]);
  });

  it('names a template line that holds a banned endpoint', () => {
    const root = copyOfContent();
    const template = join(root, 'roles/golden_state/templates/config.yaml.j2');
    appendFileSync(template, 'proxy: https://api.anthropic.com/v1\n');
    const line = lineOf(template, 'api.anthropic.com');
    expect(formatted(root)).toEqual([`${template}:${line}:16: banned endpoint "api.anthropic.com" (BANNED_PROVIDERS.yml) in the file`]);
  });

  it('finds a banned value that only appears once a template is rendered for a host', () => {
    const root = copyOfContent();
    const template = join(root, 'roles/golden_state/templates/config.yaml.j2');
    appendFileSync(template, "extra_key_env: {{ 'ANTHROP' ~ 'IC_TOKEN' }}\n");
    // The output's last line (14th): the `{% set %}` and `{% for %}` lines render as nothing.
    expect(formatted(root)).toEqual([
      `${template}:14:16: banned env var "ANTHROPIC_TOKEN" (BANNED_PROVIDERS.yml) in the output rendered for allegro (line numbers of the output)`,
    ]);
  });

  it('names an extra-vars file, a host var and a secret name without printing the secret', () => {
    const root = copyOfContent();
    const extra = join(root, 'extra.yml');
    writeFileSync(extra, 'agent_api_keys:\n  ANTHROPIC_API_KEY: sk-secret-value-0001\n');
    const errors = formatted(root, 'inventory/hosts.yml', 'playbooks/site.yml', [`@${extra}`]);
    expect(errors).toContain(`${extra}:2:3: banned env var "ANTHROPIC_API_KEY" (BANNED_PROVIDERS.yml) in agent_api_keys.ANTHROPIC_API_KEY`);
    expect(errors.join('\n')).not.toContain('sk-secret-value-0001');
    expect(formatted(root, 'inventory/hosts.yml', 'playbooks/site.yml', ['agent_gateway_port=8642 agent_command=claude-3'])).toEqual([
      '<extra vars>:1:1: banned model "claude-*" (BANNED_PROVIDERS.yml) in extra var agent_command',
    ]);
  });

  it('rejects a chain with a gap, a duplicate priority, a duplicate entry and an unknown provider id, with file:line', () => {
    const root = copyOfContent();
    const file = join(root, 'group_vars/wizards.yml');
    const text = readFileSync(file, 'utf8');
    const chain = (body: string) => writeFileSync(file, text.replace(/provider_chain:\n(  .*\n)+/, `provider_chain:\n${body}`));
    const entry = (priority: number, provider: string, model: string) =>
      `  - priority: ${priority}\n    provider: ${provider}\n    model: ${model}\n    base_url: http://localhost:11434/v1\n`;

    chain(entry(1, 'kimi-coding', 'kimi-k2.5') + entry(3, 'custom', 'gemma4:latest'));
    expect(formatted(root)).toEqual([`${file}:${lineOf(file, 'priority: 3') }:15: golden state: provider_chain[1].priority: priority 3 leaves a gap: priorities must be 1..2 in a chain of 2`]);

    chain(entry(1, 'kimi-coding', 'kimi-k2.5') + entry(1, 'custom', 'gemma4:latest'));
    expect(formatted(root)).toEqual([`${file}:${lineOf(file, 'provider: custom') - 1}:15: golden state: provider_chain[1].priority: duplicate priority 1 (also entry 1)`]);

    chain(entry(1, 'custom', 'gemma4:latest') + entry(2, 'custom', 'gemma4:latest'));
    expect(formatted(root)).toEqual([`${file}:${lineOf(file, 'priority: 2')}:5: golden state: provider_chain[1]: duplicate provider entry custom gemma4:latest (also entry 1)`]);

    chain(entry(1, 'kimi-coding', 'kimi-k2.5') + entry(2, 'mistral', 'large'));
    expect(formatted(root)).toEqual([`${file}:${lineOf(file, 'provider: mistral')}:15: golden state: provider_chain[1].provider: unknown provider id "mistral" (known: kimi-coding, openrouter, custom)`]);
  });

  it('refuses two wizards on one address with the same home', () => {
    const root = copyOfContent();
    const file = join(root, 'inventory/hosts.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('ansible_host: 203.0.113.10   # operator: same VPS as Allegro', 'ansible_host: 203.0.113.10\n              agent_home: /root/wizards/allegro/home'));
    expect(formatted(root)).toEqual([`${file}:1:1: wizards allegro and ezra share address 203.0.113.10 and home /root/wizards/allegro/home: wizards on one address need distinct agent_home`]);
  });

  it('takes the address from ansible_ssh_host when a wizard sets both spellings, as the ssh connection does', () => {
    const root = copyOfContent();
    const file = join(root, 'inventory/hosts.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('ansible_host: 203.0.113.20   # operator: Bezalel', 'ansible_ssh_host: 203.0.113.10\n              agent_home: /root/wizards/allegro/home\n              ansible_host: 203.0.113.20   # operator: Bezalel'));
    expect(formatted(root)).toEqual([`${file}:1:1: wizards allegro and bezalel share address 203.0.113.10 and home /root/wizards/allegro/home: wizards on one address need distinct agent_home`]);
  });

  it('apply refuses with one error that lists every problem', () => {
    const root = copyOfContent();
    appendFileSync(join(root, 'roles/cron_manager/defaults/main.yml'), 'cron_manager_unused: claude-3-haiku\n');
    let thrown: unknown;
    try {
      enforceFleetPolicy(runInput(root, 'sandbox/inventory.yml', 'playbooks/cron_schedule.yml'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FleetError);
    expect((thrown as FleetError).message).toMatch(/^refusing to run: 1 fleet policy problem\(s\), no host was contacted:\n {2}\S+cron_manager\/defaults\/main\.yml:\d+:22: banned model "claude-\*"/);
  });

  it('fleet apply stops before contacting any host, naming the banned value', async () => {
    const root = copyOfContent();
    // No sshd listens on 127.0.1.250: had fleet tried a host, the run would end unreachable (exit 4).
    const inventory = join(root, 'inventory/hosts.yml');
    writeFileSync(inventory, readFileSync(inventory, 'utf8').replace(/ansible_host: \S+/g, 'ansible_host: 127.0.1.250'));
    const extra = join(root, 'extra.yml');
    writeFileSync(extra, 'agent_command: hermes gateway run --model claude-opus-4\n');
    await expect(fleetApply({ inventory: [inventory], playbook: join(root, 'playbooks/site.yml'), extraVars: [`@${extra}`] })).rejects.toThrow(
      `refusing to run: 1 fleet policy problem(s), no host was contacted:\n  ${extra}:1:16: banned model "claude-*" (BANNED_PROVIDERS.yml) in agent_command`,
    );
  });
});
