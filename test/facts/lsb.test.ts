import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { factsFromRecords, factsScript } from '../../src/facts/index.js';
import { runRemote, type ExecScript } from '../../src/modules/remote.js';
import { inlineLibraries } from '../../src/shell/libraries.js';
import { Script } from '../../src/shell/script.js';
import { fromPy } from '../../src/template/values.js';
import { localUserland } from '../modules/system/harness.js';

// Debian 12's minimal lsb_release, which lsb.ts formats itself when the host has it.
const LSB_RELEASE = '/usr/bin/lsb_release';
const MINIMAL_CKSUM = '1464282447 2651';

const dir = mkdtempSync(join(tmpdir(), 'fleet-lsb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function execWith(env: Record<string, string>): ExecScript {
  return (script, options = {}) =>
    execa('sh', [], { input: inlineLibraries(script, options.libraries), reject: false, env, stripFinalNewline: false })
      .then((result) => ({ rc: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr }));
}

/** The lsb fact fleet gathers (with env, whose values the script also sees), and which way it took. */
async function fleetLsb(env: Record<string, string>): Promise<{ lsb: unknown; formatted: boolean }> {
  const families = ['env', 'lsb'];
  const output = await runRemote(execWith(env), await localUserland(), Script.raw(factsScript(await localUserland(), families)));
  const facts = fromPy(factsFromRecords(output.fields, families)) as Record<string, unknown>;
  return { lsb: facts.lsb, formatted: output.fields.has('lsb.minimal') };
}

/** The lsb fact from what the real script prints, through the same parser. */
async function realLsb(env: Record<string, string>): Promise<unknown> {
  const result = await execa(LSB_RELEASE, ['-a'], { env, reject: false });
  const facts = factsFromRecords(new Map([['lsb.lsb_release', [result.stdout]]]), ['lsb']);
  return (fromPy(facts) as Record<string, unknown>).lsb;
}

const PLAIN: Record<string, string> = {
  debian: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\n',
  ubuntu: 'NAME="Ubuntu"\nVERSION="22.04.3 LTS (Jammy Jellyfish)"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 22.04.3 LTS"\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\nUBUNTU_CODENAME=jammy\n',
  'single quotes, no codename': "NAME='Red Hat Enterprise Linux'\nID='rhel'\nVERSION_ID='9.2'\nPRETTY_NAME='Red Hat Enterprise Linux 9.2 (Plow)'\n",
  'NAME differing from ID only in case': '# a comment\n\nID=alpine\nNAME="ALPINE"\nVERSION_ID=3.19.1\n',
  'no final newline, a later value wins': 'ID=arch\nID=fedora\nNAME=Fedora\nVERSION_ID=39',
  'non-ASCII first letter': 'ID="élan"\nNAME="Élan OS"\n',
  empty: '',
};

// Lines sourcing reads differently from keyValueLines: lsb.ts must run the real script for these.
const NOT_PLAIN: Record<string, string> = {
  expansion: 'ID=debian\nVERSION_ID="$((6 * 2))"\n',
  'escaped quote': 'ID=debian\nPRETTY_NAME="Debian \\"12\\""\n',
  'backslash in single quotes': "ID=debian\nPRETTY_NAME='a\\\\b'\n",
  'leading blank': 'ID=debian\n  NAME=Debian\n',
  'unquoted space': 'ID=debian\nVERSION_CODENAME=book worm\n',
};

describe('the lsb fact with the minimal lsb_release', async () => {
  const sum = await execa('sh', ['-c', `cksum < ${LSB_RELEASE}`], { reject: false });
  const present = sum.exitCode === 0 && sum.stdout.trim() === MINIMAL_CKSUM;

  /** fleet's lsb fact and the real script's answer for an os-release holding `text`; `formatted` says whether fleet skipped the script. */
  async function bothFor(text: string, formatted: boolean): Promise<void> {
    const file = join(dir, `os-release-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, text);
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LSB_OS_RELEASE: file };
    const fleet = await fleetLsb(env);
    expect(fleet.formatted).toBe(formatted);
    expect(fleet.lsb).toEqual(await realLsb(env));
  }

  it.skipIf(!present).each(Object.entries(PLAIN))('formats %s os-release as the script prints it', (_name, text) => bothFor(text, true));

  it.skipIf(!present).each(Object.entries(NOT_PLAIN))('runs the script for %s', (_name, text) => bothFor(text, false));

  it.skipIf(!present)('takes variables the os-release file leaves unset from the environment, as sourcing does', async () => {
    const file = join(dir, 'os-release-env');
    writeFileSync(file, 'ID=fedora\nVERSION_ID=40\n');
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LSB_OS_RELEASE: file, NAME: 'FEDORA', VERSION_CODENAME: 'from-env' };
    const fleet = await fleetLsb(env);
    expect(fleet.formatted).toBe(true);
    expect(fleet.lsb).toEqual(await realLsb(env));
    expect(fleet.lsb).toMatchObject({ id: 'FEDORA', codename: 'from-env' });
  });

  it.skipIf(!present)("uses the host's own os-release when LSB_OS_RELEASE is not set", async () => {
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const fleet = await fleetLsb(env);
    expect(fleet.formatted).toBe(true);
    expect(fleet.lsb).toEqual(await realLsb(env));
  });
});
