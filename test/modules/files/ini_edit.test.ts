import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editIni, IniNoOptionError, type IniWants } from '../../../src/modules/files/ini-edit.js';

/**
 * editIni against the installed community.general ini_file's own do_ini(), called in check
 * mode with --diff on a temp file for every combination below of file text, section, option,
 * values, state, exclusive, allow_no_value and no_extra_spaces: the same new text, changed
 * flag and message, or the same exception. The texts hold what its line matching is picky
 * about: commented options (`#`, `;`), tabs and spaces around `=`, an option without `=`, an
 * empty value, duplicates, a section repeated or named as a prefix (`[s]x`), CRLF, a BOM, no
 * final newline, an empty and a missing file.
 */
const ORACLE = `
import importlib.util, json, os, sys, tempfile
spec = importlib.util.spec_from_file_location('ini_file', '/usr/lib/python3/dist-packages/ansible_collections/community/general/plugins/modules/ini_file.py')
ini = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ini)
class Failed(Exception):
    pass
class Module:
    check_mode = True
    _diff = True
    def fail_json(self, **kwargs):
        raise Failed(kwargs['msg'])
out = []
with tempfile.TemporaryDirectory() as tmp:
    for n, case in enumerate(json.load(sys.stdin)):
        path = os.path.join(tmp, 'f%d.ini' % n)
        if case['text'] is not None:
            with open(path, 'wb') as f:
                f.write(case['text'].encode('utf-8'))
        w = case['wants']
        try:
            changed, _, diff, msg = ini.do_ini(Module(), path, w['section'], w['option'], list(w['values']), 'present' if w['present'] else 'absent',
                                               w['exclusive'], False, w['noExtraSpaces'], True, w['allowNoValue'])
            out.append({'before': diff['before'], 'after': diff['after'], 'changed': changed, 'msg': msg})
        except Exception as e:
            out.append({'error': type(e).__name__})
print(json.dumps(out))
`;

// One temp file per case: in memory where there is /dev/shm, where opening one costs a tenth.
const ORACLE_ENV = existsSync('/dev/shm') ? { ...process.env, TMPDIR: '/dev/shm' } : process.env;

const TEXTS: (string | null)[] = [
  null,
  '',
  'opt=1',
  '; top\nopt = 0\n\n[s]\nopt=1\n#opt = 2\n  opt\t=\t3 \nother = 1\n\n# end of s\n\n[t]\nopt\n[s]x\nopt = 4\n',
  '\uFEFF[s]\r\nopt = \r\n;opt\r\nopt=1\r\nopt=1\r\n[s]\r\nopt=5\r\n[u]\r\n',
  '[t]\n# only comments\n\n[s]\n\topt =1\na = b',
];

function* wantsCases(): Generator<IniWants> {
  for (const section of [null, '', 's', 't', 'missing'])
    for (const option of [null, 'opt', 'a'])
      for (const values of [[], ['1'], ['1', '2', '1'], ['', '3']])
        for (const present of [true, false])
          for (const exclusive of [true, false])
            for (const allowNoValue of [true, false]) {
              if (present && !allowNoValue && values.length === 0) continue; // main() fails first
              yield { section, option, values, present, exclusive, allowNoValue, noExtraSpaces: values.length === 3 };
            }
}

function fleetEdit(text: string | null, wants: IniWants) {
  try {
    return editIni(text ?? '', wants);
  } catch (error) {
    if (error instanceof IniNoOptionError) return { error: 'TypeError' };
    throw error;
  }
}

describe("ini_file's edit matches the module's do_ini", () => {
  it('gives the same text, changed flag and message for every case', () => {
    const cases = TEXTS.flatMap((text) => [...wantsCases()].map((wants) => ({ text, wants })));
    const expected = JSON.parse(execFileSync('/usr/bin/python3', ['-c', ORACLE], { input: JSON.stringify(cases), encoding: 'utf8', env: ORACLE_ENV, maxBuffer: 64 * 1024 * 1024 })) as unknown[];
    expect(expected).toHaveLength(cases.length);
    for (const [index, { text, wants }] of cases.entries()) {
      expect(fleetEdit(text, wants), JSON.stringify({ text, wants })).toEqual(expected[index]);
    }
  });
});
