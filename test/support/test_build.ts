/**
 * Vitest's global setup: the CLI as `npm run build` ships it (bin/fleet.js running the
 * esbuild bundle through its code cache), built from this run's sources into
 * `.test-build/`, for the tests that run `fleet` as a program. Under tsx every such run
 * compiled the sources again: about 1.9 s and 2.5 s of CPU per `fleet apply`, against
 * 0.2 s from the bundle.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions, repoRoot } from '../../scripts/bundle_options.js';
import { testBuildDir } from './fleet_cli.js';

export default async function setup(): Promise<void> {
  mkdirSync(join(testBuildDir, 'bin'), { recursive: true });
  mkdirSync(join(testBuildDir, 'dist'), { recursive: true });
  for (const file of ['fleet.js', 'code-cache.js', 'package.json']) copyIfChanged(join(repoRoot, 'bin', file), join(testBuildDir, 'bin', file));
  // Written beside, then renamed: another test run from this tree may be starting the old one.
  const dist = join(testBuildDir, 'dist');
  const bundle = join(dist, 'fleet.cjs');
  const temp = `${bundle}.${process.pid}.tmp`;
  await build(bundleOptions(temp));
  renameSync(temp, bundle);
  // Code caches are named by their bundle's size and mtime (bin/code-cache.js): older ones are never read again.
  const { size, mtimeMs } = statSync(bundle);
  const current = `fleet.cjs.${size}-${Math.trunc(mtimeMs)}.`;
  for (const name of readdirSync(dist)) if (name.startsWith('fleet.cjs.') && name.includes('.cache') && !name.startsWith(current)) rmSync(join(dist, name), { force: true });
}

function copyIfChanged(from: string, to: string): void {
  const wanted = readFileSync(from);
  let present: Buffer | undefined;
  try {
    present = readFileSync(to);
  } catch {
    present = undefined;
  }
  if (present !== undefined && present.equals(wanted)) return;
  // Renamed into place: the other test project's run may be starting it.
  copyFileSync(from, `${to}.${process.pid}.tmp`);
  renameSync(`${to}.${process.pid}.tmp`, to);
}
