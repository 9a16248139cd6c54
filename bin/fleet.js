#!/usr/bin/env node
// Runs the CLI: the bundle (dist/fleet.cjs) through its code cache when `npm run build` made
// it, else the compiled modules; `npm ci` builds both through the `prepare` script.
// CommonJS (bin/package.json): an ES module entry starts node's ES module loader, about 10 ms
// of CPU on every start, and the bundle it runs is CommonJS anyway.
const { join } = require('node:path');
const { loadBundle } = require('./code-cache.js');

// A run is short: V8's optimising compiler at its default eagerness took a quarter of the
// CPU of a 32-host run, compiling functions the run was about to stop calling. Four times
// V8's default interrupt budget lets only the hot ones reach it (32-host no-change bench run:
// 1.14–1.25 s → 0.95–1.05 s of CPU, 7 interleaved runs each; 4 hosts: no change).
const V8_FLAGS = ['--interrupt-budget=270336'];

// Where runs find the program to start the connection keeper with (connections/keeper/place.ts).
globalThis[Symbol.for('fleet.bin')] = __filename;

const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
// The connection keeper runs for minutes: V8's default eagerness suits it.
const bundle = loadBundle(join(__dirname, '..', 'dist', 'fleet.cjs'), command, command === 'connection-keeper' ? [] : V8_FLAGS);

function run(cli) {
  cli.main(process.argv).catch((err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(250);
  });
}

if (bundle !== null) run(bundle);
else import('../dist/cli/main.js').then(run);
