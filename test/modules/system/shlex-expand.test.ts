import { readFileSync } from 'node:fs';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runRemote, type ExecScript } from '../../../src/modules/remote.js';
import { expandInto, expandUserFunctions } from '../../../src/modules/system/expand.js';
import { shlexSplit } from '../../../src/shell/shlex.js';
import { inlineLibraries } from '../../../src/shell/libraries.js';
import { Script } from '../../../src/shell/script.js';
import { localUserland } from './harness.js';

// Recorded from Python by scripts/gen-shlex-expand-fixtures.py.
const fixture = JSON.parse(readFileSync(new URL('./fixtures/shlex-expand.json', import.meta.url), 'utf8')) as {
  env: Record<string, string>;
  split: { text: string; tokens?: string[]; error?: string }[];
  expand: { text: string; result: string }[];
};

describe("shlex.split as Ansible's command module uses it", () => {
  for (const { text, tokens, error } of fixture.split) {
    it(JSON.stringify(text), () => {
      if (error) expect(() => shlexSplit(text)).toThrow(error);
      else expect(shlexSplit(text)).toEqual(tokens);
    });
  }
});

describe('os.path.expanduser(os.path.expandvars(...)) rendered as shell', () => {
  it('expands every corpus entry on the host as Python does', async () => {
    const userland = await localUserland();
    const script = Script.join([
      expandUserFunctions(userland),
      ...fixture.expand.flatMap(({ text }) => [expandInto('fleet_v', text), Script.raw('fleet_emit value "$fleet_v"')]),
    ]);
    const exec: ExecScript = async (text, options = {}) => {
      const result = await execa('sh', [], { input: inlineLibraries(text, options.libraries), env: fixture.env, extendEnv: false });
      return { rc: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
    };
    const output = await runRemote(exec, userland, script);
    expect(output.fields.get('value')).toEqual(fixture.expand.map(({ result }) => result));
  });
});
