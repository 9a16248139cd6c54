// The Templar API beyond what the differential cases cover: error positions, child scopes,
// `!unsafe` values, omit, is_template, caching and plugin dispatch.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../src/errors.js';
import { OMIT, Templar, isOmit, type PluginRegistry, type VariableSource } from '../../src/template/index.js';
import { PyUndefinedError } from '../../src/template/python/undefined.js';
import type { Filter } from '../../src/template/registry.js';
import { PyDict, PyUndefined, PyUnsafe, toPy, type PyValue } from '../../src/template/values.js';

const FIXTURES = join(import.meta.dirname, 'engine-fixtures');

const plugins: PluginRegistry = {
  filters: {
    default: ((_env, v, { args }) => (v instanceof PyUndefined ? (args[0] ?? '') : v)) as Filter,
    upper: (_env, v) => String(v instanceof PyUnsafe ? v.value : v).toUpperCase(),
    // Calls back into the engine the way map()/selectattr() do.
    pluck: (env, v, { args }) => (v as PyValue[]).map((item) => env.getAttribute(item, args[0] as string)),
    shout: (env, v) => env.callFilter('upper', v, { args: [], kwargs: new Map() }),
  },
  tests: { defined: (_env, v) => !(v instanceof PyUndefined) },
  lookups: {
    items: (_env, terms) => terms.flatMap((t) => (Array.isArray(t) ? t : [t])),
    varnames: (env) => env.variableNames().sort(),
    // Lookup terms arrive templated, so the template is built here (as `template` reads a file).
    render: (env, terms) => terms.map((t) => env.renderTemplate(`{{ ${String(t)} }}{{ extra }}`, new Map([['extra', 'E']]))),
  },
};

function templar(vars: Record<string, unknown>): Templar {
  return new Templar({ vars: toPy(vars) as PyDict, plugins, lookupContext: { basedir: FIXTURES, searchPaths: [], env: {} } });
}

function failure(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('errors point into the template', () => {
  it('maps template lines onto the YAML value they came from', () => {
    const e = failure(() => templar({}).template('first line\nvalue: {{ nope }}', { source: { file: 'play.yml', line: 10, col: 12 } }));
    expect(e).toBeInstanceOf(PyUndefinedError);
    expect(e.message).toBe("'nope' is undefined");
    expect(e.location).toEqual({ file: 'play.yml', line: 11, col: 11 });
    expect(e.format()).toBe("play.yml:11:11: 'nope' is undefined\n  value: {{ nope }}\n            ^");
  });

  it('puts the caret under the operator on the first line of a value', () => {
    const e = failure(() => templar({ n: 1 }).template('{{ n + "x" }}', { source: { file: 'play.yml', line: 3, col: 9 } }));
    expect(e.location).toEqual({ file: 'play.yml', line: 3, col: 14 });
    expect(e.format().split('\n')[2]).toBe(`  ${' '.repeat(13)}^`);
  });

  it('reports syntax errors at the offending token', () => {
    const e = failure(() => templar({}).renderFile('a\n{% if %}\n', { source: { file: 'x.j2', line: 1, col: 1 } }));
    expect(e.message).toBe("Expected an expression, got 'end of statement block'");
    expect(e.location).toEqual({ file: 'x.j2', line: 2, col: 7 });
  });

  it('counts the #jinja2: header line', () => {
    const e = failure(() => templar({ d: {} }).renderFile('#jinja2: lstrip_blocks: True\nok\n{{ d.zz }}\n', { source: { file: 'x.j2', line: 1, col: 1 } }));
    expect(e.location).toEqual({ file: 'x.j2', line: 3, col: 5 });
  });

  it('names the included file an error happened in', () => {
    const e = failure(() => templar({ d: {} }).renderFile("{% include 'bad.j2' %}", { source: { file: 'x.j2', line: 1, col: 1 } }));
    expect(e.location).toEqual({ file: join(FIXTURES, 'templates', 'bad.j2'), line: 2, col: 7 });
    expect(e.sourceLine).toBe('  {{ d.missing }}');
  });

  it('blames the undefined where it was written, not where it was used', () => {
    const e = failure(() => templar({ d: {} }).template('{% set x = d.zz %}\n\n{{ x }}'));
    expect(e.location).toEqual({ file: '<template>', line: 1, col: 13 });
  });

  it('never leaks a JavaScript error', () => {
    const e = failure(() => templar({}).template('{{ [1, 2] | nosuch }}'));
    expect(e.message).toBe('Could not load "nosuch": \'nosuch\'');
  });
});

describe('Templar', () => {
  it('sees extra variables through withVars without changing the parent', () => {
    const parent = templar({ a: 1 });
    const child = parent.withVars(new Map<string, PyValue>([['item', 'x']]));
    expect(child.template('{{ item }}-{{ a }}')).toBe('x-1');
    expect(failure(() => parent.template('{{ item }}')).message).toBe("'item' is undefined");
  });

  it('reads variables from a VariableSource lazily', () => {
    const asked: string[] = [];
    const source: VariableSource = {
      get: (name) => {
        asked.push(name);
        return name === 'x' ? 'value' : undefined;
      },
      names: () => ['x'],
    };
    expect(new Templar({ vars: source, plugins }).template('{{ x }}')).toBe('value');
    expect(asked).toContain('x');
  });

  it('never templates !unsafe values, and marks results that used them unsafe', () => {
    const t = templar({ raw: new PyUnsafe('{{ secret }}'), secret: 's3cret' });
    expect(t.template(new PyUnsafe('{{ secret }}'))).toEqual(new PyUnsafe('{{ secret }}'));
    const result = t.template('<{{ raw }}>');
    expect(result).toEqual(new PyUnsafe('<{{ secret }}>'));
  });

  it('returns the omit placeholder (a variable the vars layer provides), which modules drop', () => {
    const t = templar({ maybe: null, omit: OMIT });
    const value = t.template('{{ maybe | default(omit) }}');
    expect(value).toBe('');
    const omitted = t.template('{{ missing | default(omit) }}');
    expect(omitted).toBe(OMIT);
    expect(isOmit(omitted)).toBe(true);
    expect(OMIT).toMatch(/^__omit_place_holder__[0-9a-f]{40}$/);
    // Like Ansible's Templar, the engine itself does not define `omit`.
    expect(failure(() => templar({}).template('{{ omit }}')).message).toBe("'omit' is undefined");
  });

  it('detects templates as Ansible does', () => {
    const t = templar({});
    expect(t.isTemplate('{{ x }}')).toBe(true);
    expect(t.isTemplate('{% if x %}y{% endif %}')).toBe(true);
    expect(t.isTemplate('{# c #}')).toBe(true);
    expect(t.isTemplate('a {{ b')).toBe(false);
    expect(t.isTemplate('plain')).toBe(false);
    expect(t.isTemplate(toPy({ k: ['x', '{{ y }}'] }))).toBe(true);
  });

  it('templates lists and dicts recursively, leaving keys alone', () => {
    const t = templar({ n: 2 });
    const result = t.template(toPy({ '{{ n }}': ['{{ n }}', 3, '{{ n * 2 }}'] }));
    expect(result).toEqual(new PyDict([['{{ n }}', [2, 3, '4']]]));
  });

  it('returns the template unchanged when told not to fail on undefined', () => {
    expect(templar({}).template('x {{ nope }}', { failOnUndefined: false })).toBe('x {{ nope }}');
  });

  it('gives plugins the engine: attribute paths, other filters, variables, nested renders', () => {
    const t = templar({ users: [{ name: 'a', tags: ['x'] }], who: 'w' });
    expect(t.template("{{ users | pluck('tags.0') }}")).toEqual(['x']);
    expect(t.template("{{ 'hey' | shout }}")).toBe('HEY');
    expect(t.template("{{ lookup('varnames') }}")).toEqual(new PyUnsafe('users,who'));
    expect(t.template("{{ query('render', 'who') }}")).toEqual([new PyUnsafe('wE')]);
  });

  it('keeps each render from seeing list changes made by an earlier one', () => {
    const t = templar({ l: [1] });
    expect(t.template('{{ l.append(2) }}{{ l }}')).toEqual([1, 2]);
    expect(t.template('{{ l }}')).toEqual([1]);
  });

  it('evaluates conditionals, deciding `is defined` tests on undefined names', () => {
    const t = templar({ n: 3 });
    expect(t.evaluateConditional('n > 2')).toBe(true);
    expect(t.evaluateConditional(['n > 2', 'n > 5'])).toBe(false);
    expect(t.evaluateConditional('nope is not defined')).toBe(true);
    expect(t.evaluateConditional(null)).toBe(true);
    expect(failure(() => t.evaluateConditional(new PyUnsafe('{{ n }}'))).message).toBe('Conditional is marked as unsafe, and cannot be evaluated.');
  });
});
