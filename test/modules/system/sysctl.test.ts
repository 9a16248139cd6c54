import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { sysctl } from '../../../src/modules/system/sysctl.js';
import { parseSysctlConf, rewrittenConf, sysctlPlan } from '../../../src/modules/system/sysctl-conf.js';
import type { Userland } from '../../../src/shell/userland.js';
import { runModule } from './harness.js';

const userland = (system: string, stat: 'gnu' | 'bsd'): Userland => ({ system, machine: 'x86_64', stat, sha1: stat === 'gnu' ? 'sha1sum' : 'shasum', base64Decode: '-d', uname: `${system} box`, home: '/root' });
const USERLANDS = [userland('Linux', 'gnu'), userland('Darwin', 'bsd'), userland('FreeBSD', 'bsd'), userland('OpenBSD', 'bsd')];

/**
 * A host whose sysctl.conf holds two keys and whose kernel disagrees, so every step gets
 * rendered; it keeps each script's body and its libraries apart.
 */
const answeringHost =
  (bodies: string[], libraries: Set<string>): ExecScript =>
  async (script, options = {}) => {
    bodies.push(script);
    for (const library of options.libraries ?? []) libraries.add(library);
    const nonce = /fleet_rec=(\S+)/.exec(script)?.[1] ?? '';
    const record = (key: string, value: string) => `\n${nonce} ${key}\n${value}\n${nonce}.\n`;
    return { rc: 0, stdout: record('exists', '1') + record('content', 'a.b = 1\nvm.x=2\n') + record('kernel_rc', '0') + record('kernel', '0\n'), stderr: '' };
  };

/**
 * shellcheck's findings: each distinct library and body once, with shellcheck.test.ts's
 * exclusions; checked apart, a body or library reads what another library sets (SC2154).
 */
async function shellcheck(bodies: string[], libraries: Set<string>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-sysctl-shellcheck-'));
  const check = async (texts: string[], kind: string, excluded: string) => {
    const paths = texts.map((text, index) => {
      const path = join(dir, `${kind}-${index}.sh`);
      writeFileSync(path, text);
      return path;
    });
    return (await execa('shellcheck', ['-s', 'sh', '-e', excluded, ...paths], { reject: false })).stdout;
  };
  try {
    return (await check([...libraries], 'library', 'SC2016,SC2034,SC2154,SC2317')) + (await check(bodies, 'body', 'SC2016,SC2034,SC2154,SC2317'));
  } finally {
    rmSync(dir, { recursive: true });
  }
}

describe('sysctl scripts take each platform branch and pass shellcheck -s sh', () => {
  it('Linux, macOS, FreeBSD, OpenBSD', async () => {
    const bodies: string[] = [];
    const libraries = new Set<string>();
    for (const host of USERLANDS) {
      const sent: string[] = [];
      const result = await runModule(sysctl, { name: 'a.b', value: '5 6', sysctl_set: true, ignoreerrors: true, sysctl_file: '~/s.conf' }, { exec: answeringHost(sent, libraries), userland: host });
      expect(result).toEqual({ changed: true });
      expect(sent.length).toBe(2);
      // Each word of a command goes into "$@" through $fleet_a, quoted only when it needs to be.
      const words = [...(sent[1] as string).matchAll(/fleet_a="\$fleet_a"'?([^'\n]*)'?$|^set -- (\/\S+)$/gm)].map((match) => match[1] ?? match[2]);
      const expected = {
        Linux: ['-e', '-w', 'a.b=5 6', '-e', '-p', '/root/s.conf'],
        Darwin: ['-e', '-w', 'a.b=5 6', '-e', '-p', '/root/s.conf'],
        FreeBSD: ['-i', 'a.b=5 6', '/etc/rc.d/sysctl', 'reload'],
        OpenBSD: ['a.b=5 6', 'vm.x=2', 'a.b=5 6'],
      }[host.system];
      expect(words, host.system).toEqual(expected);
      bodies.push(...sent);
    }
    expect(await shellcheck(bodies, libraries)).toBe('');
  }, 60_000);
});

describe('sysctl.py reading and rewriting sysctl.conf', () => {
  it('keeps the first line of a key with the last value read, drops its duplicates and appends a new key', () => {
    const conf = parseSysctlConf('# c\r\n  x = 1  \ny=2\nx=3\nno equals\n; s\n');
    expect(conf.values).toEqual(new Map([['x', '3'], ['y', '2']]));
    expect(rewrittenConf(conf, 'y', '7', true)).toBe('# c\nx=1\ny=7\nno equals\n; s\n');
    expect(rewrittenConf(conf, 'x', '', false)).toBe('# c\ny=2\nno equals\n; s\n');
    expect(rewrittenConf(conf, 'z', '1', true)).toBe('# c\nx=1\ny=2\nno equals\n; s\nz=1\n');
  });

  it('decides as process() does', () => {
    const wants = { name: 'k', value: '1 2', present: true, reload: true, sysctlSet: true };
    expect(sysctlPlan(wants, '1 2', '1\t2\n')).toEqual({ changed: false, setKernel: false, writeFile: false, reload: false });
    expect(sysctlPlan(wants, '1 2', '1 3')).toEqual({ changed: true, setKernel: true, writeFile: false, reload: true });
    // A kernel value sysctl could not read: changed, reloaded, never set.
    expect(sysctlPlan(wants, '1 2', null)).toEqual({ changed: true, setKernel: false, writeFile: false, reload: true });
    // Absent and an empty value in the file: compared with the parsed value '' instead.
    expect(sysctlPlan({ ...wants, value: '', present: false, reload: false }, '', '0')).toEqual({ changed: false, setKernel: false, writeFile: false, reload: false });
    expect(sysctlPlan({ ...wants, present: false }, null, '0')).toEqual({ changed: false, setKernel: false, writeFile: false, reload: false });
  });
});

describe('sysctl keeps a hostile value literal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-sysctl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('no shell expansion on the host; sysctl gets the value as one word', async () => {
    const marker = join(dir, 'touched');
    const result = await runModule(sysctl, { name: 'nosuch.fleet_key', value: `$(touch ${marker}); \`touch ${marker}\``, sysctl_set: true, reload: false, sysctl_file: join(dir, 's.conf') });
    expect(result).toEqual({ failed: true, changed: false, msg: 'setting nosuch.fleet_key failed: sysctl: cannot stat /proc/sys/nosuch/fleet_key: No such file or directory\n' });
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 's.conf'))).toBe(false);
  });
});
