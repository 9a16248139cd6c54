/**
 * The settings base.yml marks deprecated: ansible-playbook 2.14 names each one that is set in a
 * `[DEPRECATION WARNING]` (wrapped keeping the spaces at line ends, coloured purple on a
 * colour output) before it runs, unless deprecation_warnings is off, and `fleet apply` prints
 * the same. Both run a debug task on localhost over the local connection.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { displayWarning } from '../support/display_warning.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { cfgProject } from './cfg_project.js';

const root = mkdtempSync(join(tmpdir(), 'fleet-deprecated-'));
let fleet: string;

beforeAll(() => {
  fleet = join(fleetBinDir(), 'fleet');
});

const project = (name: string, cfg?: string): string => cfgProject(root, name, cfg);

function run(command: string, args: string[], dir: string, env: Record<string, string>) {
  const result = spawnSync(command, [...args, '-i', 'localhost,', '-c', 'local', 'play.yml'], { cwd: dir, env: { PATH: process.env.PATH, HOME: root, ANSIBLE_NOCOLOR: '1', ...env }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result;
}

/** Each `[DEPRECATION WARNING]` with its wrapped lines (each line and its newline, as printed). */
function deprecationsIn(stderr: string): string[] {
  const messages: string[] = [];
  for (const line of stderr.split(/(?<=\n)/)) {
    if (line.startsWith('[')) messages.push(line);
    else if (messages.length > 0) messages[messages.length - 1] += line;
  }
  return messages.filter((message) => message.startsWith('[DEPRECATION WARNING]: '));
}

describe.skipIf(!hasAnsible())('deprecated settings', () => {
  it.each([
    { name: 'env-aliases', env: { ANSIBLE_COW_WHITELIST: 'x', ANSIBLE_JINJA2_NATIVE_WARNING: '1' }, deprecations: 2 },
    { name: 'gather-settings', env: { ANSIBLE_GATHER_TIMEOUT: '5', ANSIBLE_FACT_PATH: '/nonexistent' }, deprecations: 2 },
    { name: 'cfg-keys', cfg: '[defaults]\ncow_whitelist = x\ngather_subset = min\n', env: {}, deprecations: 2 },
    // A variable of the same setting is read instead of the key, so the key is never met.
    { name: 'cfg-key-under-variable', cfg: '[defaults]\ncow_whitelist = x\n', env: { ANSIBLE_COW_ACCEPTLIST: 'x' }, deprecations: 0 },
    { name: 'turned-off', cfg: '[defaults]\ncow_whitelist = x\ndeprecation_warnings = False\n', env: { ANSIBLE_COW_WHITELIST: 'x' }, deprecations: 0 },
  ])('$name: named as ansible-playbook names them', ({ name, cfg, env, deprecations }) => {
    const dir = project(name, cfg);
    const theirs = run('/usr/bin/ansible-playbook', [], dir, env);
    const ours = run(fleet, ['apply'], dir, env);
    expect(deprecationsIn(theirs.stderr)).toHaveLength(deprecations);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(deprecationsIn(ours.stderr)).toEqual(deprecationsIn(theirs.stderr));
    // First, as CLI.run prints them: fleet's own warning about what it does not support follows.
    expect(ours.stderr.startsWith(deprecationsIn(theirs.stderr).join('')), ours.stderr).toBe(true);
  }, 60_000);

  it('colours each line in COLOR_DEPRECATE when the output is coloured', () => {
    const dir = project('coloured');
    const env = { ANSIBLE_FORCE_COLOR: '1', ANSIBLE_GATHER_TIMEOUT: '5' };
    const theirs = run('/usr/bin/ansible-playbook', [], dir, env).stderr;
    const ours = run(fleet, ['apply'], dir, env).stderr;
    // Ansible prints nothing else; fleet's warning that it ignores the setting follows.
    expect(theirs).toMatch(/^\x1b\[0;35m\[DEPRECATION WARNING\]: DEFAULT_GATHER_TIMEOUT option, the module_defaults \x1b\[0m\n\x1b\[0;35mkeyword/);
    expect(ours.startsWith(theirs), ours).toBe(true);
  }, 60_000);

  it('leaves ANSIBLE_JINJA2_NATIVE_WARNING, which 2.14 no longer reads, out of the unsupported settings', () => {
    const dir = project('no-longer-read');
    const ours = run(fleet, ['apply'], dir, { ANSIBLE_JINJA2_NATIVE_WARNING: '1', ANSIBLE_CALLBACK_WHITELIST: 'timer' });
    expect(ours.stderr).toContain('[DEPRECATION WARNING]: ANSIBLE_JINJA2_NATIVE_WARNING option');
    expect(ours.stderr).toContain(displayWarning('fleet does not support these settings and ignores them: ANSIBLE_CALLBACK_WHITELIST in the environment'));
  }, 60_000);
});
