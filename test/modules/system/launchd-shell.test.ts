import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecScript } from '../../../src/modules/remote.js';
import { launchd } from '../../../src/modules/system/launchd.js';
import { inlineLibraries } from '../../../src/shell/libraries.js';
import type { Userland } from '../../../src/shell/userland.js';
import { localExec, runModule } from './harness.js';

const linux: Userland = { system: 'Linux', machine: 'x86_64', stat: 'gnu', sha1: 'sha1sum', base64Decode: '-d', uname: 'Linux box 6.1.0-9-amd64 #1 SMP Debian 6.1.27-1 x86_64', home: '/root' };
const macos: Userland = { system: 'Darwin', machine: 'arm64', stat: 'bsd', sha1: 'shasum', base64Decode: '-D', uname: 'Darwin mac.local 23.1.0 Darwin Kernel Version 23.1.0: Mon Oct  9 21:27:24 PDT 2023; root:xnu-10002.41.9~6/RELEASE_ARM64_T6000 arm64', home: '/Users/admin' };

const PLIST = '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0">\n<dict>\n<key>Label</key><string>org.x</string>\n<key>KeepAlive</key><true/>\n</dict>\n</plist>\n';

/**
 * A host that answers every record launchd's scripts read (a stopped job, a plist with
 * KeepAlive), so all three round trips get rendered for a userland this machine is not.
 */
const answeringHost =
  (sent: string[]): ExecScript =>
  async (script, options = {}) => {
    sent.push(inlineLibraries(script, options.libraries));
    const nonce = /fleet_rec=(\S+)/.exec(script)?.[1] ?? '';
    const record = (key: string, value: string) => `\n${nonce} ${key}\n${value}\n${nonce}.\n`;
    const list = 'PID\tStatus\tLabel\n-\t0\torg.x';
    const answers: [string, string][] = [
      ['launchctl', '/bin/launchctl'],
      ['plist', '/Users/admin/Library/LaunchAgents/org.x.plist'],
      ['plist_b64', Buffer.from(PLIST).toString('base64')],
      ...['list', 'list2', 'list3', 'list4', 'step0', 'step1', 'step2'].flatMap((key): [string, string][] => [
        [`${key}.rc`, '0'],
        [`${key}.out`, list],
        [`${key}.err`, ''],
      ]),
    ];
    return { rc: 0, stdout: answers.map(([key, value]) => record(key, value)).join(''), stderr: '' };
  };

async function shellcheck(scripts: string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-launchd-shellcheck-'));
  const paths = scripts.map((script, index) => {
    const path = join(dir, `${index}.sh`);
    writeFileSync(path, script);
    return path;
  });
  // The exclusions of shellcheck.test.ts: literal user data, prelude variables, indirect calls.
  const result = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2016,SC2034,SC2317', ...paths], { reject: false });
  rmSync(dir, { recursive: true });
  return result.stdout;
}

describe('launchd scripts pass shellcheck -s sh', () => {
  for (const userland of [linux, macos]) {
    it(userland.system, async () => {
      const sent: string[] = [];
      const exec = answeringHost(sent);
      const started = await runModule(launchd, { name: 'org.x', state: 'started', enabled: true, force_stop: true }, { exec, userland });
      expect(started.status).toBeDefined();
      await runModule(launchd, { name: 'org.x', state: 'restarted' }, { exec, userland, check: true });
      // probe, write + the two lists, load/start + list: every kind of script was rendered.
      expect(sent.length).toBe(5);
      expect(sent.some((script) => script.includes('FLEET_PLIST_END'))).toBe(true);
      expect(await shellcheck(sent)).toBe('');
    }, 120_000);
  }
});

describe('the stand-in launchctl is POSIX sh too', () => {
  it('passes shellcheck -s sh', async () => {
    expect(await shellcheck([readFileSync(join(import.meta.dirname, 'launchd', 'launchctl'), 'utf8')])).toBe('');
  });
});

describe('launchd keeps a hostile job name literal', () => {
  const root = mkdtempSync(join(tmpdir(), 'fleet-launchd-local-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('no shell expansion of the name on the host; shlex splitting as run_command does', async () => {
    const bin = join(root, 'fake', 'bin');
    mkdirSync(bin, { recursive: true });
    mkdirSync(join(root, 'fake', 'state'));
    mkdirSync(join(root, 'home', 'Library', 'LaunchAgents'), { recursive: true });
    copyFileSync(join(import.meta.dirname, 'launchd', 'launchctl'), join(bin, 'launchctl'));
    const name = 'org.$(touch canary1);`touch canary2`';
    writeFileSync(join(root, 'home', 'Library', 'LaunchAgents', `${name}.plist`), PLIST);
    const exec: ExecScript = (script, options) => localExec(`cd ${root} && HOME=${root}/home PATH=${bin}:$PATH\n${script}`, options);
    const result = await runModule(launchd, { name, state: 'unloaded' }, { exec });
    expect(existsSync(join(root, 'canary1')) || existsSync(join(root, 'canary2'))).toBe(false);
    // launchd.py's `launchctl unload <path>` is one string split by shlex: the backquotes stay,
    // the `;` is no separator. The stand-in refuses the unknown job, naming the path it got.
    expect(result).toEqual({ failed: true, msg: `Unable to unload '${name}' (${root}/home/Library/LaunchAgents/${name}.plist): 'Unload failed: 113: Could not find specified service\n'` });
    expect(readFileSync(join(root, 'fake', 'calls.log'), 'utf8')).toBe(`list\nlist\nlist\nunload ${root}/home/Library/LaunchAgents/${name}.plist\n`);
  });
});
