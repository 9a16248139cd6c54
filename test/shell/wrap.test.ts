import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { becomeFailure, wrapScript, type Become } from '../../src/shell/wrap.js';

const SCRIPT = 'id -un\nprintf "%s\\n" "$HOME"';
const sudo: Become = { user: 'nobody', method: 'sudo', flags: '' };

async function shellcheck(script: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-wrap-'));
  const path = join(dir, 'wrapped.sh');
  writeFileSync(path, script);
  // SC2016: the runner is single-quoted on purpose, to expand in the target user's shell.
  const result = await execa('shellcheck', ['-s', 'sh', '-e', 'SC2016', path], { reject: false });
  rmSync(dir, { recursive: true });
  return result.stdout;
}

describe('wrapScript with become', () => {
  it('passes shellcheck for sudo with and without a password, and su', async () => {
    for (const become of [sudo, { ...sudo, password: 'p4ss word' }, { ...sudo, method: 'su' }, { ...sudo, flags: '-E' }]) {
      expect(await shellcheck(wrapScript(SCRIPT, { become, environment: new Map([['A', "it's"]]) }))).toBe('');
    }
  });

  it('puts the password only on the first line of sudo -S\'s stdin, then the lines a wrong one\'s retries read, before a start line the runner skips to', () => {
    const wrapped = wrapScript(SCRIPT, { become: { ...sudo, password: 'p4ss word' } });
    const [command, password, retry1, retry2, start, ...rest] = wrapped.split('\n');
    expect(command).toMatch(/^sudo -H -S -p '' -u nobody \/bin\/sh -c '.*' <<'FLEET_BECOME_[0-9a-f]{16}'$/);
    expect(command).not.toContain('p4ss');
    expect(password).toBe('p4ss word');
    expect(retry1).toMatch(/^FLEET_NOT_A_PASSWORD_[0-9a-f]{16}$/);
    expect(retry2).toBe(retry1);
    expect(start).toMatch(/^FLEET_START_[0-9a-f]{16}$/);
    expect(command).toContain(`[ "$l" = ${start} ] && break`);
    expect(rest.join('\n')).toContain(SCRIPT);
    expect(wrapped.split('p4ss').length).toBe(2);
  });

  it('without a password sudo runs non-interactively, and su refuses one', () => {
    expect(wrapScript(SCRIPT, { become: sudo })).toMatch(/^sudo -H -n -u nobody /);
    expect(() => wrapScript(SCRIPT, { become: { ...sudo, method: 'su', password: 'x' } })).toThrow(/su with a password is not supported/);
  });
});

describe('becomeFailure', () => {
  it("names sudo's refusals as Ansible's sudo plugin does, only for a script that printed nothing", () => {
    expect(becomeFailure(sudo, 1, '', 'sudo: a password is required\n')).toBe('Missing sudo password');
    expect(becomeFailure(sudo, 1, '', 'Sorry, try again.\nsudo: 3 incorrect password attempts\n')).toBe('Incorrect sudo password');
    expect(becomeFailure(sudo, 1, 'rc=MQ==', 'sudo: a password is required\n')).toBeNull();
    expect(becomeFailure(sudo, 0, '', 'sudo: a password is required\n')).toBeNull();
    expect(becomeFailure(undefined, 1, '', 'sudo: a password is required\n')).toBeNull();
  });
});
