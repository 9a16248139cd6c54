import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { pythonFactsScript } from '../../src/facts/python.js';
import { setup } from '../../src/modules/system/setup.js';
import { fromPy, PyDict } from '../../src/template/values.js';
import { runModule } from '../modules/system/harness.js';

// `ansible localhost -m setup -a 'filter=ansible_python*'` with ansible-core 2.14.18 on Debian 12
// (ansible_python_interpreter=/usr/bin/python3; ansible_python_version is 3.11.2): template and
// command_shell read them.
const ANSIBLE_PYTHON = {
  executable: '/usr/bin/python3',
  has_sslcontext: true,
  type: 'cpython',
  version: { major: 3, minor: 11, micro: 2, releaselevel: 'final', serial: 0 },
  version_info: [3, 11, 2, 'final', 0],
};

async function gathered(vars: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await runModule(setup, { filter: ['ansible_python*'] }, { vars });
  return fromPy(result.ansible_facts as PyDict) as Record<string, unknown>;
}

describe('the ansible_python fact', () => {
  it('describes the host interpreter as Ansible does', async () => {
    const facts = await gathered({ ansible_python_interpreter: '/usr/bin/python3' });
    expect(facts.ansible_python).toEqual(ANSIBLE_PYTHON);
    expect(facts.ansible_python_version).toBe('3.11.2');
  });

  it('uses the discovery fallbacks when no interpreter is set', async () => {
    expect((await gathered({})).ansible_python).toEqual(ANSIBLE_PYTHON);
  });

  it('is left out when the interpreter does not exist', async () => {
    expect(await gathered({ ansible_python_interpreter: '/nonexistent/python' })).not.toHaveProperty('ansible_python');
  });

  it('starts the interpreter again only when it changed since the last gather (python_cache.ts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-python-cache-'));
    const interpreter = join(dir, 'python3');
    const log = join(dir, 'started');
    const wrapper = `#!/bin/sh\necho started >> '${log}'\nexec /usr/bin/python3 "$@"\n`;
    writeFileSync(interpreter, wrapper, { mode: 0o755 });
    const starts = () => readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
    try {
      const first = await gathered({ ansible_python_interpreter: interpreter });
      expect(first.ansible_python_version).toBe('3.11.2');
      expect(await gathered({ ansible_python_interpreter: interpreter })).toEqual(first);
      expect(starts()).toBe(1);
      // A replaced interpreter (new inode, as a package upgrade leaves it) is asked again.
      rmSync(interpreter);
      writeFileSync(interpreter, `${wrapper}# upgraded\n`, { mode: 0o755 });
      expect(await gathered({ ansible_python_interpreter: interpreter })).toEqual(first);
      expect(starts()).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes shellcheck (a loop over one configured interpreter is meant: SC2043)', async () => {
    for (const configured of ['/usr/bin/python3', undefined]) {
      const script = `fleet_emit() { :; }\n${pythonFactsScript(configured, 'h').text()}`;
      const result = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2043', '-'], { input: script, reject: false });
      expect(result.stdout).toBe('');
    }
  });
});
