import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editLimits, invalidValueMessage, LimitsFailure, type LimitWants } from '../../../src/modules/system/pam-limits-conf.js';
import { universalNewlines } from '../../../src/modules/files/text-edit.js';

/**
 * pam_limits' edit against the installed community.general module's own main(), run in one
 * Python process in check mode for every combination below of file text, domain, type,
 * item, value, use_max/use_min and comment: the same changed flag, message and diff, or the
 * same failure message. The texts hold what its line handling is picky about: comments (a
 * line's `# …` is reused, newline included, for the line the module writes), tabs and
 * Unicode spaces, lines that are not four fields, -1 as unlimited, duplicates, CRLF, no
 * final newline, and a line with an invalid value (which fails whatever the task's domain).
 */
const ORACLE = `
import contextlib, io, json, os, sys, tempfile
import ansible.module_utils.basic as basic
import importlib.util
spec = importlib.util.spec_from_file_location('pam_limits', '/usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/pam_limits.py')
pam = importlib.util.module_from_spec(spec)
spec.loader.exec_module(pam)
out = []
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, 'limits.conf')
    for case in json.load(sys.stdin):
        with open(path, 'wb') as f:
            f.write(case['text'].encode('utf-8'))
        args = dict(case['args'], dest=path, _ansible_check_mode=True)
        basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            try:
                pam.main()
            except SystemExit:
                pass
        result = json.loads(stdout.getvalue())
        result.setdefault('changed', False)  # as the task executor adds it to a failure
        out.append({k: result[k] for k in ('changed', 'msg', 'diff', 'failed') if k in result})
print(json.dumps(out))
`;

// One temp file per case: in memory where there is /dev/shm, where opening one costs a tenth.
const ORACLE_ENV = existsSync('/dev/shm') ? { ...process.env, TMPDIR: '/dev/shm' } : process.env;

const TEXTS = [
  '',
  '# limits\n*  soft  nofile  1024\n@admin hard nproc unlimited # admins\n\n   \nnot four fields\nuser1 - priority -5\n',
  '* soft nofile 10 #c1\r\n* - nofile 20\r\n',
  '* soft nofile 10',
  'x soft nofile abc\n',
  '*\tsoft\t nofile\u00a020\nuser1\u2003-  priority\t-1 \n',
  '* soft nofile 5\n* soft nofile 50 # second\n',
];

interface Args {
  domain: string;
  limit_type: string;
  limit_item: string;
  value: string;
  use_max: boolean;
  use_min: boolean;
  comment: string;
}

function* argCases(): Generator<Args> {
  const flags = [[false, false], [true, false], [false, true]] as const;
  const limits = [['*', 'soft', 'nofile'], ['*', '-', 'nofile'], ['user1', '-', 'priority'], ['@admin', 'hard', 'nproc']];
  for (const [domain, type, item] of limits)
    for (const value of ['100', 'unlimited', '-1', '-5'])
      for (const [useMax, useMin] of flags)
        for (const comment of ['', 'note']) yield { domain, limit_type: type, limit_item: item, value, use_max: useMax, use_min: useMin, comment } as Args;
  for (const [item, value] of [['nofile', 'abc'], ['priority', '20'], ['priority', ' +7 '], ['nice', '1_0']]) {
    yield { domain: '*', limit_type: 'soft', limit_item: item, value, use_max: false, use_min: false, comment: '' } as Args;
  }
  yield { domain: '*', limit_type: 'soft', limit_item: 'nofile', value: '5', use_max: true, use_min: true, comment: '' };
}

/** What fleet's module returns for an existing file in check mode. */
function fleetResult(text: string, args: Args, path: string) {
  const wants: LimitWants = { domain: args.domain, type: args.limit_type, item: args.limit_item, value: args.value, useMax: args.use_max, useMin: args.use_min, comment: args.comment };
  const invalid = wants.useMax && wants.useMin ? 'Cannot use use_min and use_max at the same time.' : invalidValueMessage(wants.item, wants.value);
  if (invalid !== null) return { changed: false, failed: true, msg: invalid };
  try {
    const edit = editLimits(text, wants, path);
    return { changed: edit.changed, msg: edit.msg, diff: { before: universalNewlines(text), after: universalNewlines(edit.content) } };
  } catch (error) {
    if (error instanceof LimitsFailure) return { changed: false, failed: true, msg: error.message };
    throw error;
  }
}

describe("pam_limits' edit matches the module's main()", () => {
  it('gives the same changed flag, message and diff, or failure, for every case', () => {
    const cases = TEXTS.flatMap((text) => [...argCases()].map((args) => ({ text, args })));
    const output = execFileSync('/usr/bin/python3', ['-c', ORACLE], { input: JSON.stringify(cases), encoding: 'utf8', env: ORACLE_ENV, maxBuffer: 256 * 1024 * 1024 });
    const expected = JSON.parse(output) as Record<string, unknown>[];
    expect(expected).toHaveLength(cases.length);
    for (const [index, { text, args }] of cases.entries()) {
      const wanted = expected[index] as Record<string, unknown>;
      const path = String(wanted['msg']).match(/Invalid configuration found in '([^']*)'/)?.[1] ?? 'unused';
      expect(fleetResult(text, args, path), JSON.stringify({ text, args })).toEqual(wanted);
    }
  });
});
