import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FLEET_VERSION, versionText } from '../../src/cli/version.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { repoRoot } from '../support/sandbox.js';

describe('fleet --version', () => {
  it('is the version package.json gives', () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(FLEET_VERSION).toBe(pkg.version);
  });

  it('prints it and exits 0', () => {
    const bin = fleetBinDir();
    const run = spawnSync(join(bin, 'fleet'), ['--version'], { encoding: 'utf8' });
    rmSync(bin, { recursive: true, force: true });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${versionText()}\n`);
    expect(run.stdout.startsWith(`fleet ${FLEET_VERSION} `)).toBe(true);
  }, 60_000);
});
