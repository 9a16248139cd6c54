/**
 * Which hosts a task runs on: tags templated per host (the host's scope is built only for a
 * task with tags), and a host_vars file that does not parse stopping the play before any host
 * runs the task, as ansible-playbook's strategy does, whether the task has tags or not.
 * Local connection: nothing here needs a remote host.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { FleetError } from '../../src/errors.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import { DefaultTextSink } from '../../src/output/default_text.js';

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - debug: msg=untagged
    - debug: msg=tagged
      tags: ["{{ role_tag }}"]
`;

function project(hostVars: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-task-selection-'));
  mkdirSync(join(dir, 'host_vars'));
  writeFileSync(join(dir, 'inventory.yml'), 'all:\n  hosts:\n    a:\n    b:\n  vars:\n    ansible_connection: local\n');
  for (const [host, text] of Object.entries(hostVars)) writeFileSync(join(dir, 'host_vars', `${host}.yml`), text);
  writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  return dir;
}

async function apply(dir: string, tags: string[]): Promise<{ output: string; error?: unknown }> {
  const options = applyOptionsFrom([join(dir, 'site.yml')], { inventory: [join(dir, 'inventory.yml')], tags, skipTags: [], extraVars: [], verbose: 0 }, process.env, dir);
  let output = '';
  const sink = new DefaultTextSink({ write: (text) => (output += text), writeError: (text) => (output += text), color: false, verbosity: 0, terminalWidth: 0 });
  try {
    await applyPlaybooks(options, sink);
    return { output };
  } catch (error) {
    return { output, error };
  }
}

describe('task selection per host', () => {
  it('templates a task’s tags with each host’s variables', async () => {
    const dir = project({ a: 'role_tag: web\n', b: 'role_tag: db\n' });
    const { output, error } = await apply(dir, ['web']);
    expect(error).toBeUndefined();
    expect(output).toContain('TASK [debug] ***');
    expect(output).toMatch(/ok: \[a\] => \{\n {4}"msg": "tagged"\n\}/);
    expect(output).not.toContain('ok: [b]');
    expect(output).not.toContain('untagged');
  });

  it('stops the play at a host_vars file that does not parse, before any host runs the first task', async () => {
    const dir = project({ a: 'role_tag: web\n', b: 'role_tag: [unclosed\n' });
    const { output, error } = await apply(dir, []);
    expect(error).toBeInstanceOf(FleetError);
    expect((error as FleetError).format()).toContain(`${join(dir, 'host_vars', 'b.yml')}:2:1: YAML syntax error`);
    expect(output).toContain('PLAY [all]');
    expect(output).not.toContain('TASK [');
  });
});
