import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetProgram } from '../support/fleet_cli.js';

/**
 * A command line argparse refuses: ansible-playbook, ansible-inventory and ansible-vault print
 * `<prog>: error: <reason>` and exit 2. fleet prints the same line (its own help after it, not
 * argparse's usage) and exits the same. All runs start at once: each Ansible start costs a second.
 */

interface Run {
  status: number | null;
  stderr: string;
}

let dir: string;

function run(command: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1', ANSIBLE_NOCOLOR: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** The `error:` line without the program's name (`ansible-vault` is `fleet vault encrypt`). */
function errorLine(stderr: string, prog: RegExp): string | undefined {
  const found = stderr.split('\n').find((line) => prog.test(line));
  return found?.replace(prog, '');
}

/** [ansible tool, fleet command, arguments] */
const CASES: Array<[string, string, string[]]> = [
  ['ansible-playbook', 'apply', ['--bogus', 'site.yml']],
  ['ansible-playbook', 'apply', ['site.yml', '-f']],
  ['ansible-playbook', 'apply', ['-f', '0', 'site.yml']],
  ['ansible-playbook', 'apply', ['--timeout=1.5', 'site.yml']],
  ['ansible-inventory', 'inventory', ['--host']],
  ['ansible-vault', 'vault', ['encrypt', '--bogus', 'secret.txt']],
];

describe('a refused command line exits 2 with argparse’s error line', () => {
  const results = new Map<string, Promise<[Run, Run]>>();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-usage-errors-'));
    writeFileSync(join(dir, 'site.yml'), '- hosts: localhost\n  gather_facts: false\n  tasks: []\n');
    for (const [tool, command, args] of CASES) {
      const [node, fleetArgs] = fleetProgram([command, ...args]);
      results.set([command, ...args].join(' '), Promise.all([run(tool, args), run(node, fleetArgs)]));
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(CASES)('%s / fleet %s %j', async (tool, command, args) => {
    const [theirs, ours] = await (results.get([command, ...args].join(' ')) as Promise<[Run, Run]>);
    expect(theirs.status, theirs.stderr).toBe(2);
    expect(ours.status, ours.stderr).toBe(2);
    const expected = errorLine(theirs.stderr, new RegExp(`^${tool}: error: `));
    expect(expected).toBeDefined();
    expect(errorLine(ours.stderr, new RegExp(`^fleet ${command}[a-z_ ]*: error: `))).toBe(expected);
  });

  it('-k and --connection-password-file exclude each other, as in ansible-playbook', () => {
    // ansible-playbook -k --conn-pass-file pw: "argument --connection-password-file/--conn-pass-file: not allowed with argument -k/--ask-pass"
    const [node, args] = fleetProgram(['apply', '-k', '--conn-pass-file', 'pw', 'site.yml']);
    const ours = spawnSync(node, args, { cwd: dir, encoding: 'utf8' });
    expect(ours.status).toBe(2);
    expect(errorLine(ours.stderr, /^fleet apply: error: /)).toBe('argument --connection-password-file: not allowed with argument -k/--ask-pass');
  });
});
