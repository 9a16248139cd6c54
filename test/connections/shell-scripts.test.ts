import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KILL_DESCENDANTS, SHELL_PRELUDE, renderGet, renderPut, renderRun, renderShellPid, shQuote } from '../../src/connections/shell-scripts.js';

function shellcheck(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-shellcheck-'));
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${text}`);
  try {
    return execFileSync('shellcheck', ['-s', 'sh', '-f', 'gcc', file], { encoding: 'utf8' });
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('remote shell scripts are POSIX sh (shellcheck -s sh)', () => {
  it('prelude, a framed command, get and put together', () => {
    const put = renderPut({ contentBase64: 'aGVsbG8=', remotePath: "/tmp/it's", tempPath: '/tmp/.x.tmp', mode: 0o644 });
    const putKeepingMode = renderPut({ contentBase64: '', remotePath: 'rel/path', tempPath: 'rel/.t' });
    const text = [SHELL_PRELUDE, renderShellPid('__fleet_end_aa'), renderRun('__fleet_end_ab', 'echo hi'), put, putKeepingMode, renderGet('/etc/hostname')].join('\n');
    expect(shellcheck('session.sh', text)).toBe('');
  });

  it('the descendant killer', () => {
    expect(shellcheck('kill.sh', KILL_DESCENDANTS)).toBe('');
  });
});

describe('the shell pid answer', () => {
  it('carries the pid and status 0 after the prelude, and no pid with status 127 in a shell the prelude did not set up', () => {
    const answer = (script: string) => execFileSync('/bin/sh', ['-c', `${script}${renderShellPid('__fleet_end_ab')}`, 'sh'], { encoding: 'utf8' });
    expect(answer(SHELL_PRELUDE)).toMatch(/^\d+\n\n__fleet_end_ab:0\n$/);
    expect(answer('')).toBe('\n__fleet_end_ab:127\n');
  });
});

describe('shQuote', () => {
  it.each(["plain", "it's", "'", "", "a\nb", "$HOME `x` \\ \"q\"", "\u00e9\u{1F600}"])('round-trips %j through sh', (value) => {
    expect(execFileSync('/bin/sh', ['-c', `printf %s ${shQuote(value)}`], { encoding: 'utf8' })).toBe(value);
  });
});
