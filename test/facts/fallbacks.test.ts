import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { factsFromRecords, factsScript } from '../../src/facts/index.js';
import { runRemote, type ExecScript } from '../../src/modules/remote.js';
import { inlineLibraries } from '../../src/shell/libraries.js';
import { Script } from '../../src/shell/script.js';
import { parseUserland, type Userland } from '../../src/shell/userland.js';
import { fromPy } from '../../src/template/values.js';
import { localUserland } from '../modules/system/harness.js';

// The paths the facts script takes where a command lacks what this machine's has (BSD env
// without -0, busybox ip without -batch, date without -f): stand-ins early in PATH refuse
// the option, and the facts must come out as the usual path makes them.
const bin = mkdtempSync(join(tmpdir(), 'fleet-facts-bin-'));
afterAll(() => rmSync(bin, { recursive: true, force: true }));
afterEach(() => {
  for (const name of ['env', 'ip', 'date']) rmSync(join(bin, name), { force: true });
});

const PATH = `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`;

const exec: ExecScript = (script, options = {}) =>
  execa('sh', [], { input: inlineLibraries(script, options.libraries), reject: false, stripFinalNewline: false, env: { PATH } })
    .then((result) => ({ rc: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr }));

/** The facts, and the names of the records the script sent (which path it took). */
async function gathered(families: string[], userland?: Userland): Promise<Record<string, unknown> & { records: string[] }> {
  const host = userland ?? (await localUserland());
  const output = await runRemote(exec, host, Script.raw(factsScript(host, families)));
  const facts = fromPy(factsFromRecords(output.fields, families)) as Record<string, unknown>;
  return { ...facts, records: [...output.fields.keys()] };
}

/** A stand-in for `name` that refuses any of `options` (exit 1, as BSD and busybox do), else runs `real`. */
function refuse(name: string, real: string, options: string[]): void {
  const cases = options.map((option) => `*" ${option} "*) echo "${name}: illegal option ${option}" >&2; exit 1 ;;`).join('\n  ');
  writeFileSync(join(bin, name), `#!/bin/sh\ncase " $* " in\n  ${cases}\nesac\nexec ${real} "$@"\n`, { mode: 0o755 });
}

describe('facts where a command lacks an option', () => {
  it('env without -0: one record per variable, the same environment', async () => {
    const usual = await gathered(['env']);
    refuse('env', '/usr/bin/env', ['-0']);
    const fallback = await gathered(['env']);
    expect(fallback.env).toEqual(usual.env);
    expect(Object.keys(fallback.env as object)).toContain('PATH');
    expect(fallback.records).toContain('env.var.PATH');
    expect(usual.records).not.toContain('env.var.PATH');
  });

  it('ip without -batch: route and addresses asked apart, the same default_ipv4', async () => {
    const usual = await gathered(['network']);
    refuse('ip', '/usr/sbin/ip', ['-batch']);
    const fallback = await gathered(['network']);
    expect(fallback.default_ipv4).toEqual(usual.default_ipv4);
    expect(fallback.all_ipv4_addresses).toEqual(usual.all_ipv4_addresses);
    expect(usual.all_ipv4_addresses).not.toEqual([]);
    expect(usual.records).toContain('network.batch');
    expect(fallback.records).toContain('network.route');
  });

  it('date without -f: now from a plain date, every date_time key still there', async () => {
    const usualFacts = await gathered(['date_time']);
    refuse('date', '/usr/bin/date', ['-f', '-j']);
    const fallbackFacts = await gathered(['date_time']);
    expect(fallbackFacts.records).toContain('date_time.now');
    const usual = usualFacts.date_time as Record<string, string>;
    const fallback = fallbackFacts.date_time as Record<string, string>;
    expect(Object.keys(fallback)).toEqual(Object.keys(usual));
    expect(fallback.tz).toBe(usual.tz);
    expect(Math.abs(Number(fallback.epoch) - Number(usual.epoch))).toBeLessThan(60);
  });

  it('macOS: uptime and load from one sysctl, the empty virtualization of virtual/base.py', async () => {
    // sysctl -n kern.boottime vm.loadavg, as macOS prints them.
    writeFileSync(join(bin, 'sysctl'), `#!/bin/sh\n[ "$*" = '-n kern.boottime vm.loadavg' ] || exit 1\necho '{ sec = 1700000000, usec = 5 } Tue Nov 14 22:13:20 2023'\necho '{ 1.50 0.25 2.00 }'\n`, { mode: 0o755 });
    const uname = 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0: Mon Oct  9 21:27:24 PDT 2023; root:xnu-10002.41.9~6/RELEASE_ARM64_T6000 arm64';
    const mac = parseUserland('mac', `${uname}\nbsd\nshasum\n-D\n/Users/admin\n`);
    const facts = await gathered(['platform', 'date_time', 'uptime', 'virtual'], mac);
    rmSync(join(bin, 'sysctl'));
    const epoch = Number((facts.date_time as Record<string, string>).epoch);
    expect(facts.uptime_seconds).toBe(epoch - 1700000000);
    expect(facts.loadavg).toEqual({ '1m': 1.5, '5m': 0.25, '15m': 2 });
    expect(facts).toMatchObject({ system: 'Darwin', virtualization_type: '', virtualization_role: '', virtualization_tech_guest: [], virtualization_tech_host: [] });
  });

  it('a kernel version with runs of spaces (as macOS prints its date) comes out whole', async () => {
    // The line the userland probe's `uname -snrvm` printed: the facts script does not run uname again.
    const uname = 'Linux box.example 6.1.0-9 #1 SMP  Mon Oct  9 21:27:24 PDT 2023; x  y aarch64';
    const facts = await gathered(['platform'], parseUserland('box', `${uname}\ngnu\nsha1sum\n-d\n/root\n`));
    expect(facts).toMatchObject({
      system: 'Linux', nodename: 'box.example', hostname: 'box', kernel: '6.1.0-9',
      kernel_version: '#1 SMP  Mon Oct  9 21:27:24 PDT 2023; x  y', machine: 'aarch64', architecture: 'aarch64',
    });
  });
});
