/** `fleet` as a program on PATH for tests of scripts and workflows: the CLI from source under tsx. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './sandbox.js';

/** A temp dir holding an executable `fleet`, usable by every user; put it first on PATH. */
export function fleetBinDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-bin-'));
  // Sandbox host users run it too (fleet pull on a host).
  chmodSync(dir, 0o755);
  const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
  const entry = join(repoRoot, 'test', 'support', 'fleet_main.ts');
  writeFileSync(join(dir, 'fleet'), `#!/bin/sh\nexec '${tsx}' '${entry}' "$@"\n`);
  chmodSync(join(dir, 'fleet'), 0o755);
  return dir;
}
