import { relative } from 'node:path';
import { applyPlaybooks, type ApplyOptions } from '../executor/run_playbooks.js';
import type { SecretRegistry } from '../secrets/registry.js';
import { RenderNotesSink } from './notes_sink.js';
import { ScriptRecorder, type RenderedTask } from './recorder.js';

export type { RenderedTask } from './recorder.js';

export interface RenderResult {
  /** apply's exit code for the recorded run (2: a host failed, 4: one was unreachable). */
  exitCode: number;
  hosts: { host: string; tasks: RenderedTask[] }[];
  /** Warnings and hosts that failed or were unreachable, for the reader. */
  notes: string[];
}

/**
 * The shell each task would send to each host, by running apply itself with a script hook
 * (src/render/recorder.ts) that records and answers in the host's place. Facts are gathered
 * for real (read-only) because scripts depend on the host: its userland (GNU or BSD tools)
 * and facts used in templates and conditions. Never in check mode: the scripts are apply's.
 * `secrets` (the run's SecretRegistry: vault plaintexts…) are masked wherever they show up.
 */
export async function renderPlaybooks(options: ApplyOptions, secrets: SecretRegistry = options.secrets): Promise<RenderResult> {
  const recorder = new ScriptRecorder(secrets);
  const sink = new RenderNotesSink();
  const result = await applyPlaybooks({ ...options, check: false, diff: false, readOnly: true, scriptHook: recorder.hook }, sink);
  // Hosts in play order, as apply lists them; the recorder meets them in whatever order they answered first.
  const rank = (host: string) => {
    const index = result.hosts.indexOf(host);
    return index < 0 ? result.hosts.length : index;
  };
  const hosts = [...recorder.tasks()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([host, tasks]) => ({
      host,
      tasks: tasks.map((task) => ({ ...task, path: relativePath(task.path, options.cwd) })),
    }));
  return { exitCode: result.exitCode, hosts, notes: sink.notes };
}

function relativePath(path: string, cwd: string): string {
  return path.startsWith('/') ? relative(cwd, path) : path;
}
