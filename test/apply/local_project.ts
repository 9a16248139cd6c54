/**
 * A scratch project whose inventory is one host, `testhost`, on a local connection, for
 * comparing what ansible-playbook and fleet print for the same playbook when no sandbox host
 * is needed (output, registered values, load errors).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface LocalProject {
  dir: string;
  /** `ansible-playbook ARGS` or `fleet apply ARGS` in the project, colour off, stdin empty (not a terminal). */
  run(tool: 'ansible' | 'fleet', args: string[]): ToolRun;
  /** Both tools with the same arguments, checking that ansible-playbook exits `status` and fleet exits as it did. */
  both(args: string[], status?: number): { ansible: ToolRun; fleet: ToolRun };
  remove(): void;
}

export function localProject(files: Record<string, string>): LocalProject {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-local-project-'));
  writeFileSync(join(dir, 'inventory'), 'testhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const fleetBin = fleetBinDir();
  return {
    dir,
    run(tool, args) {
      const [command, first] = tool === 'ansible' ? ['ansible-playbook', []] : [join(fleetBin, 'fleet'), ['apply']];
      const done = spawnSync(command, [...first, '-i', 'inventory', ...args], { cwd: dir, encoding: 'utf8', input: '', env: { ...process.env, ANSIBLE_NOCOLOR: '1' } });
      return { status: done.status, stdout: done.stdout, stderr: done.stderr };
    },
    both(args, status = 0) {
      const ansible = this.run('ansible', args);
      const fleet = this.run('fleet', args);
      expect(ansible.status, ansible.stdout + ansible.stderr).toBe(status);
      expect(fleet.status, fleet.stdout + fleet.stderr).toBe(ansible.status);
      return { ansible, fleet };
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
      rmSync(fleetBin, { recursive: true, force: true });
    },
  };
}

/** -v output from the PLAY banner on: the config file line before it differs between the tools. */
export const fromFirstPlay = (output: string): string => output.slice(output.indexOf('PLAY ['));
