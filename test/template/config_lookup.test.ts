import { describe, expect, it } from 'vitest';
import { pyStr, Templar } from '../../src/template/index.js';
import { PyDict } from '../../src/template/values.js';

function render(template: string, env: Record<string, string> = {}) {
  const value = new Templar({ vars: new PyDict(), lookupContext: { basedir: '.', searchPaths: [], env } }).template(template);
  // Lookup results come back unsafe-wrapped; compare their text.
  return typeof value === 'object' && value !== null && 'pyType' in value && value.pyType === 'unsafe' ? pyStr(value) : value;
}

// Expected values are Ansible 2.14's (ansible.constants with and without the variables set).
describe("lookup('config')", () => {
  it('answers the default', () => {
    expect(render("{{ lookup('config', 'DEFAULT_FORKS') }}")).toBe('5');
  });

  it('reads the environment variable behind a setting, typed', () => {
    expect(render("{{ lookup('config', 'DEFAULT_FORKS') + 1 }}", { ANSIBLE_FORKS: '7' })).toBe('8');
    expect(render("{{ lookup('config', 'HOST_KEY_CHECKING') }}", { ANSIBLE_HOST_KEY_CHECKING: 'False' })).toBe(false);
  });

  it('fails on an unknown setting unless told to skip it', () => {
    expect(() => render("{{ lookup('config', 'NO_SUCH_SETTING') }}")).toThrow('Unable to find setting NO_SUCH_SETTING');
    expect(render("{{ query('config', 'NO_SUCH_SETTING', on_missing='skip') }}")).toEqual([]);
  });
});
