/**
 * The YAML argument spec converters against Ansible's own (module_utils/common/validation.py
 * check_type_*), run in one /usr/bin/python3 process (ansible-playbook's): the same value (as Python's repr) or the same
 * TypeError message for every case.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { checkType, TypeCheckError } from '../../src/modules/argspec_types.js';
import { pyRepr, pyTypeName } from '../../src/template/python/index.js';
import { PyFloat, toPy, type PyValue } from '../../src/template/values.js';
import { hasAnsible } from '../apply/support.js';

// [type, value as JSON, float?]: a number marked float is a Python float (JSON loses 2.0 vs 2).
const CASES: [string, unknown, boolean?][] = [
  ['int', '42'],
  ['int', ' 7 '],
  ['int', '1_000'],
  ['int', '+3'],
  ['int', '4.0'],
  ['int', 4, true],
  ['int', true],
  ['int', [1]],
  ['float', '1e3'],
  ['float', '-inf'],
  ['float', ' 2.5 '],
  ['float', 'abc'],
  ['float', 2],
  ['float', '1_0.5'],
  ['float', { a: 1 }],
  ['list', 'a,b'],
  ['list', 5],
  ['list', 1.5, true],
  ['list', true],
  ['list', { a: 1 }],
  ['dict', '{"a": [1, 2]}'],
  ['dict', 'k=v other="a b" x=\'y z\''],
  ['dict', 'a=1,b=2'],
  ['dict', 'nope'],
  ['dict', 5],
  ['dict', ['a=1']],
  ['bool', 'yes'],
  ['bool', ' Off '],
  ['bool', 1],
  ['bool', 0, true],
  ['bool', [1]],
  ['str', 5],
  ['str', 1.5, true],
  ['str', true],
  ['str', [1, 'a']],
  ['str', { a: 1 }],
  ['raw', [1, { b: 'c' }]],
  ['path', '~/x'],
  ['path', '$HOME/y:${HOME}'],
  ['path', '${FLEET_NOT_SET_ANYWHERE}/z~'],
  ['path', 5],
];

const PYTHON = `
import json, sys
from ansible.module_utils.common import validation as v
out = []
for kind, value, is_float in json.load(sys.stdin):
    if is_float:
        value = float(value)
    try:
        out.append({'ok': repr(getattr(v, 'check_type_' + kind)(value))})
    except (TypeError, ValueError) as e:
        out.append({'error': str(e)})
print(json.dumps(out))
`;

describe.skipIf(!hasAnsible())('argument spec type converters', () => {
  test('convert and refuse as check_type_* does', () => {
    const done = spawnSync('/usr/bin/python3', ['-c', PYTHON], { input: JSON.stringify(CASES.map(([kind, value, isFloat]) => [kind, value, isFloat === true])), encoding: 'utf8' });
    expect(done.status, done.stderr).toBe(0);
    const expected = JSON.parse(done.stdout) as ({ ok: string } | { error: string })[];
    const actual = CASES.map(([kind, value, isFloat]) => {
      const py: PyValue = isFloat === true ? new PyFloat(value as number) : toPy(value);
      try {
        return { ok: pyRepr(checkType(py, kind, (each) => `<class '${pyTypeName(each)}'>`)) };
      } catch (err) {
        if (!(err instanceof TypeCheckError)) throw err;
        return { error: err.message };
      }
    });
    expect(actual).toEqual(expected);
  });
});
