#!/usr/bin/env node
// Runs the CLI: the bundle (dist/fleet.cjs) through its code cache when `npm run build` made
// it, else the compiled modules; `npm ci` builds both through the `prepare` script.
import { loadBundle } from './code-cache.js';

const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const bundle = loadBundle(new URL('../dist/fleet.cjs', import.meta.url).pathname, command);
const cli = bundle ?? (await import('../dist/cli/main.js'));
cli.main(process.argv).catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(250);
});
