/**
 * A scratch project whose inventory is one host, `testhost`, on a local connection, for
 * comparing what ansible-playbook and fleet print for the same playbook when no sandbox host
 * is needed (output, registered values, load errors).
 */
import { execFile, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface LocalProject {
  dir: string;
  /** `ansible-playbook ARGS` or `fleet apply ARGS` in the project, colour off, stdin empty (not a terminal), `env` added to the environment. */
  run(tool: 'ansible' | 'fleet', args: string[], env?: NodeJS.ProcessEnv): ToolRun;
  /** Both tools with the same arguments, checking that ansible-playbook exits `status` and fleet exits as it did. */
  both(args: string[], status?: number, env?: NodeJS.ProcessEnv): { ansible: ToolRun; fleet: ToolRun };
  /**
   * As `run`, without waiting for the tool to end; `wrapper` is a command the tool runs under
   * (`unshare --mount sh -c SCRIPT sh …`, whose script ends `exec "$@"`).
   */
  runAsync(tool: 'ansible' | 'fleet', args: string[], env?: NodeJS.ProcessEnv, wrapper?: readonly string[]): Promise<ToolRun>;
  /** As `both`, with the two tools running at the same time (for playbooks that mostly wait). */
  bothAtOnce(args: string[], status?: number, env?: NodeJS.ProcessEnv): Promise<{ ansible: ToolRun; fleet: ToolRun }>;
  remove(): void;
}

export function localProject(files: Record<string, string>): LocalProject {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-local-project-'));
  writeFileSync(join(dir, 'inventory'), 'testhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const fleetBin = fleetBinDir();
  const toolCommand = (tool: 'ansible' | 'fleet', args: string[]): [string, string[]] =>
    tool === 'ansible' ? ['ansible-playbook', ['-i', 'inventory', ...args]] : [join(fleetBin, 'fleet'), ['apply', '-i', 'inventory', ...args]];
  const expectSameStatus = (ansible: ToolRun, fleet: ToolRun, status: number) => {
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(status);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(ansible.status);
    return { ansible, fleet };
  };
  return {
    dir,
    run(tool, args, env = {}) {
      const [command, argv] = toolCommand(tool, args);
      const done = spawnSync(command, argv, { cwd: dir, encoding: 'utf8', input: '', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ...env } });
      return { status: done.status, stdout: done.stdout, stderr: done.stderr };
    },
    both(args, status = 0, env = {}) {
      return expectSameStatus(this.run('ansible', args, env), this.run('fleet', args, env), status);
    },
    runAsync(tool, args, env = {}, wrapper = []) {
      return new Promise<ToolRun>((resolve) => {
        const [command, argv] = toolCommand(tool, args);
        const [program = command, ...rest] = [...wrapper, command, ...argv];
        const options = { cwd: dir, encoding: 'utf8' as const, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ANSIBLE_NOCOLOR: '1', ...env } };
        const child = execFile(program, rest, options, (error, stdout, stderr) =>
          resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
        );
        child.stdin?.end();
      });
    },
    async bothAtOnce(args, status = 0, env = {}) {
      const [ansible, fleet] = await Promise.all([this.runAsync('ansible', args, env), this.runAsync('fleet', args, env)]);
      return expectSameStatus(ansible, fleet, status);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
      rmSync(fleetBin, { recursive: true, force: true });
    },
  };
}

/** Output from the PLAY banner on: at -vv and beyond, what comes before it (each tool's version, -vvv's plugin lines) differs. */
export const fromFirstPlay = (output: string): string => output.slice(output.indexOf('PLAY ['));

/** A tool's output from its first PLAY banner, with its own directory (`/<tool>/`) named `/TOOL/`, for comparing the two tools' runs side by side. */
export const toolOutput = (run: ToolRun, tool: string): string => fromFirstPlay(run.stdout).replaceAll(`/${tool}/`, '/TOOL/');

/** Every file under `dir` (directories walked): its kind, mode and content or link target, each name as `rename` gives it (a backup's time). */
export function fileListing(dir: string, rename: (name: string) => string = (name) => name, prefix = ''): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name): string[] => {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) return [`${prefix}${name}/ ${stat.mode.toString(8)}`, ...fileListing(path, rename, `${prefix}${name}/`)];
      const what = stat.isSymbolicLink() ? `-> ${readlinkSync(path)}` : JSON.stringify(readFileSync(path, 'utf8'));
      return [`${prefix}${rename(name)} ${stat.mode.toString(8)} ${what}`];
    })
    .sort();
}
