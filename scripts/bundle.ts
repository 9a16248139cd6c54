/**
 * `npm run build` (after tsc): the CLI and its dependencies in one CommonJS file,
 * dist/fleet.cjs, which bin/fleet.js runs through a V8 code cache. One file instead of a few
 * hundred modules to resolve and compile is most of fleet's start-up time. The options are in
 * scripts/bundle_options.ts.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions, repoRoot } from './bundle_options.js';

const dist = join(repoRoot, 'dist');

await build(bundleOptions(join(dist, 'fleet.cjs')));

// A code cache and its list of built-ins belong to the bundle they were made from (bin/code-cache.js names them by size and mtime).
for (const name of readdirSync(dist)) if (name.startsWith('fleet.cjs.') && (name.endsWith('.cache') || name.endsWith('.cache.builtins'))) rmSync(join(dist, name));
