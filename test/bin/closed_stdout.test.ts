import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetProgram } from '../support/fleet_cli.js';

/** `fleet apply … | head -1`: the reader goes away after the first line. */
function applyIntoClosedPipe(dir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(...fleetProgram(['apply', '-i', join(dir, 'hosts'), join(dir, 'play.yml')]), { cwd: dir });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.once('data', () => child.stdout.destroy());
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

describe('stdout closed by its reader', () => {
  it('the run goes on to its end and exit code, with one warning instead of an EPIPE crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-closed-stdout-'));
    const done = join(dir, 'done');
    writeFileSync(join(dir, 'hosts'), 'local ansible_connection=local\n');
    const chatter = Array.from({ length: 40 }, (_, index) => `    - debug:\n        msg: "${'line '.repeat(200)}${index}"\n`).join('');
    writeFileSync(join(dir, 'play.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n${chatter}    - copy:\n        content: finished\n        dest: ${done}\n`);
    const { code, stderr } = await applyIntoClosedPipe(dir);
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).toContain('[WARNING]: standard output was closed (broken pipe); the run goes on without printing');
    expect(code).toBe(0);
    expect(existsSync(done)).toBe(true);
  }, 60_000);
});
