/**
 * `fleet` as a program, for tests of the CLI, scripts and workflows: bin/fleet.js and the
 * bundle that vitest's global setup (test_build.ts) built from this run's sources.
 */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './sandbox.js';

/** Inside the repository: the bundle's external modules resolve from node_modules above it. */
export const testBuildDir = join(repoRoot, '.test-build');

/** `node` and the arguments that run `fleet ARGS`. */
export function fleetProgram(args: string[]): [string, string[]] {
  return [process.execPath, [join(testBuildDir, 'bin', 'fleet.js'), ...args]];
}

/** A temp dir holding an executable `fleet`, usable by every user; put it first on PATH. */
export function fleetBinDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bin-'));
  // Sandbox host users run it too (fleet pull on a host).
  chmodSync(dir, 0o755);
  const [node, [entry]] = fleetProgram([]);
  writeFileSync(join(dir, 'fleet'), `#!/bin/sh\nexec '${node}' '${entry}' "$@"\n`);
  chmodSync(join(dir, 'fleet'), 0o755);
  return dir;
}
