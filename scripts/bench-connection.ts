/**
 * Per-command latency over one SSH connection to a sandbox host: framed commands on the
 * persistent shell versus a fresh exec channel per command (what a naive runner does).
 *   npx tsx scripts/bench-connection.ts [commands]
 */
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import { connectSsh } from '../src/connections/index.js';
import { ensureSandbox, sandboxTarget } from '../test/support/sandbox.js';

const commands = Number(process.argv[2] ?? 500);

async function timePerCommand(count: number, run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 10; i++) await run(); // warm-up
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await run();
  return Number(process.hrtime.bigint() - started) / 1e6 / count;
}

function openRawClient(): Promise<Client> {
  const target = sandboxTarget('h1');
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => {
      client.setNoDelay(true);
      resolve(client);
    });
    client.once('error', reject);
    client.connect({ host: target.address, port: target.port, username: target.user, privateKey: readFileSync(target.privateKeyFile!) });
  });
}

function execOnFreshChannel(client: Client, command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      channel.on('close', () => resolve());
      channel.resume();
      channel.stderr.resume();
    });
  });
}

ensureSandbox();
const connectStarted = process.hrtime.bigint();
const connection = await connectSsh(sandboxTarget('h1'));
const connectMs = Number(process.hrtime.bigint() - connectStarted) / 1e6;
const persistent = await timePerCommand(commands, () => connection.exec('true'));
await connection.close();

const raw = await openRawClient();
const freshCount = Math.max(20, Math.floor(commands / 5));
const fresh = await timePerCommand(freshCount, () => execOnFreshChannel(raw, 'true'));
raw.end();

console.log(`connect + auth + shell start: ${connectMs.toFixed(1)} ms`);
console.log(`persistent shell:   ${persistent.toFixed(3)} ms/command (${commands} commands)`);
console.log(`fresh exec channel: ${fresh.toFixed(3)} ms/command (${freshCount} commands)`);
console.log(`speed-up: ${(fresh / persistent).toFixed(1)}x`);
