/**
 * heuristicLogSanitize against ansible-core's own heuristic_log_sanitize (run in python3 over
 * the same strings), false positives included.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { heuristicLogSanitize } from '../../../src/modules/system/log-sanitize.js';
import { cleanArgs } from '../../../src/modules/system/python-text.js';

const CASES = [
  '',
  'plain text',
  'https://user:secret@example.com/repo.git',
  'git clone https://user:secret@example.com/repo.git /srv/app',
  'ssh://git:tok@host:2222/x and http://a:b@c/d',
  'user:pass@host:/path',
  'ab:c@host',
  'abc:d@host',
  'no colon@host',
  '@',
  ':@',
  '://:@',
  'x://y@z',
  'mail me at someone@example.com: thanks',
  'http://example.com/@foo',
  'a:b@c@d',
  'https://u:p@h1 https://v:q@h2',
  'ftp://anon@host',
  'key=value:other@thing',
  '::::@@@@',
  'http://user:p@ss:word@host/',
];

function ansibles(inputs: string[]): string[] | null {
  const script = 'import json,sys\nfrom ansible.module_utils.basic import heuristic_log_sanitize\nprint(json.dumps([heuristic_log_sanitize(s) for s in json.load(sys.stdin)]))';
  const run = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(inputs), encoding: 'utf8' });
  return run.status === 0 ? (JSON.parse(run.stdout) as string[]) : null;
}

const expected = ansibles(CASES);

describe.skipIf(expected === null)('heuristic_log_sanitize', () => {
  it('masks what Ansible masks, and leaves what it leaves', () => {
    expect(CASES.map(heuristicLogSanitize)).toEqual(expected);
  });

  it('runs in run_command failures\' cmd, after the password arguments', () => {
    expect(cleanArgs(['git', 'clone', 'https://deploy:hunter2@git.example/r.git', '--password', 'x'])).toBe("git clone 'https://deploy:********@git.example/r.git' --password '********'");
  });
});
