/**
 * Differential test of fleet's Jinja2 engine against Ansible 2.14: every case of
 * test/template/corpus/*.yml is rendered by fleet and compared with what real Ansible
 * produced for it (test/template/expected/*.json, written by
 * scripts/gen-template-corpus.py). See test/template/README.md.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FleetError, TemplateError } from '../../src/errors.js';
import { Templar, pyRepr, pyTruthy, pyTypeName } from '../../src/template/index.js';
import { PyError } from '../../src/template/python/errors.js';
import { PyUndefinedError } from '../../src/template/python/undefined.js';
import { PyDict, PyUnsafe, toPy, type PyValue } from '../../src/template/values.js';
import { loadYamlValue } from '../../src/yaml/load.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CORPUS_DIR = join(HERE, 'corpus');
const EXPECTED_DIR = join(HERE, 'expected');
/** Lookups resolve relative paths from here, as the generator's loader basedir does. */
const FIXTURES_DIR = join(HERE, 'fixtures');
/** The environment the `env` lookup cases read (the generator sets the same values). */
const CORPUS_ENV = z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(join(FIXTURES_DIR, 'env.json'), 'utf8')));

const expectedCase = z.discriminatedUnion('ok', [
  z.object({ name: z.string(), ok: z.literal(true), type: z.string(), repr: z.string(), json: z.unknown().optional() }),
  z.object({
    name: z.string(),
    ok: z.literal(false),
    /** The exception Ansible raised (AnsibleError, AnsibleUndefinedVariable…). */
    error: z.string(),
    message: z.string(),
    /** The Jinja2/Python exception under Ansible's wrapping, and its message. */
    cause: z.string(),
    key: z.string(),
  }),
]);
type ExpectedCase = z.infer<typeof expectedCase>;
type ExpectedValue = Extract<ExpectedCase, { ok: true }>;
type ExpectedFailure = Extract<ExpectedCase, { ok: false }>;

type Mode = 'template' | 'file' | 'conditional';

interface CorpusCase {
  name: string;
  template: PyValue;
  vars: PyDict;
  mode: Mode;
}

/**
 * How a failure Ansible reports maps onto fleet's errors, keyed by the Python exception
 * that actually happened (`cause` in the expected JSON). `kinds` are the fleet error kinds
 * accepted (see `fleetErrorKind`). `message: true` also requires fleet's message to contain
 * Ansible's key message: for undefined names and Python's own exceptions, whose texts fleet
 * reproduces; not for parser errors and third-party library texts (Jinja2's parser
 * wording, `re`, `json`, PyYAML), where only failing the same way is required.
 */
const FLEET_ERROR_FOR_CAUSE: Record<string, { kinds: string[]; message: boolean }> = {
  UndefinedError: { kinds: ['UndefinedError'], message: true },
  // Ansible's own undefined errors wrap the Jinja2 message in theirs ("{{ x }}: 'x' is undefined").
  AnsibleUndefinedVariable: { kinds: ['UndefinedError', 'TemplateError'], message: false },
  TypeError: { kinds: ['TypeError'], message: true },
  ValueError: { kinds: ['ValueError'], message: true },
  IndexError: { kinds: ['IndexError'], message: true },
  KeyError: { kinds: ['KeyError'], message: true },
  ZeroDivisionError: { kinds: ['ZeroDivisionError'], message: true },
  TemplateSyntaxError: { kinds: ['TemplateSyntaxError'], message: false },
  TemplateNotFound: { kinds: ['TemplateNotFound'], message: true },
  TemplateRuntimeError: { kinds: ['TemplateRuntimeError', 'TemplateError'], message: true },
  RecursionError: { kinds: ['RecursionError'], message: false },
  AnsibleError: { kinds: ['TemplateError'], message: true },
  AnsibleTemplateError: { kinds: ['TemplateError'], message: true },
  AnsibleFilterError: { kinds: ['TemplateError', 'ValueError', 'TypeError'], message: true },
  AnsibleFilterTypeError: { kinds: ['TemplateError', 'TypeError'], message: true },
  AnsibleLookupError: { kinds: ['TemplateError'], message: true },
  FilterArgumentError: { kinds: ['TemplateError', 'ValueError'], message: false },
  error: { kinds: ['TemplateError', 'ValueError'], message: false }, // Python's re.error
  JSONDecodeError: { kinds: ['TemplateError', 'ValueError'], message: false },
  ParserError: { kinds: ['TemplateError', 'ParserError'], message: false }, // PyYAML
};

/** The generator reports Ansible's wrapper types under their base type; fleet's names for them map the same way. */
const BASE_TYPE_OF_WRAPPER: Record<string, string> = { AnsibleUnsafeText: 'str' };

/** A fleet error's kind for the table above: the Python exception it stands for, else its class name. */
function fleetErrorKind(error: FleetError): string {
  if (error instanceof PyUndefinedError) return 'UndefinedError';
  if (error instanceof PyError) return error.pyName;
  return error.name;
}

/** 'TemplateError' stands for any template failure that is not a Python exception. */
function matchesKind(error: FleetError, kind: string): boolean {
  if (fleetErrorKind(error) === kind) return true;
  return kind === 'TemplateError' && error instanceof TemplateError && !(error instanceof PyError);
}

function text(value: PyValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof PyUnsafe) return value.value;
  throw new Error(`a file-mode template must be a string, got ${pyTypeName(value)}`);
}

function asDict(value: PyValue | undefined, what: string): PyDict {
  if (value === undefined || value === null) return new PyDict();
  if (value instanceof PyDict) return value;
  throw new Error(`${what} must be a mapping`);
}

function loadCaseFile(file: string): CorpusCase[] {
  const data = asDict(loadYamlValue(join(CORPUS_DIR, file)), file);
  const fileVars = asDict(data.get('vars'), `${file}: vars`);
  const cases = data.get('cases');
  if (!Array.isArray(cases)) throw new Error(`${file}: expected a 'cases' list`);
  return cases.map((raw) => {
    const entry = asDict(raw, `${file}: case`);
    const name = entry.get('name');
    const template = entry.get('template');
    const mode = entry.get('mode') ?? 'template';
    if (typeof name !== 'string' || template === undefined) throw new Error(`${file}: every case needs name and template`);
    if (mode !== 'template' && mode !== 'file' && mode !== 'conditional') throw new Error(`${file}: ${name}: bad mode`);
    const vars = new PyDict([...fileVars, ...asDict(entry.get('vars'), `${file}: ${name}: vars`)]);
    return { name, template, vars, mode };
  });
}

function loadExpected(file: string): ExpectedCase[] {
  const json: unknown = JSON.parse(readFileSync(join(EXPECTED_DIR, file.replace(/\.yml$/, '.json')), 'utf8'));
  return z.array(expectedCase).parse(json);
}

function render(testCase: CorpusCase): PyValue {
  const templar = new Templar({
    vars: testCase.vars,
    lookupContext: { basedir: FIXTURES_DIR, searchPaths: [], env: { ...process.env, ...CORPUS_ENV } },
  });
  if (testCase.mode === 'file') return templar.renderFile(text(testCase.template));
  if (testCase.mode === 'conditional') return templar.evaluateConditional(testCase.template);
  return templar.template(testCase.template);
}

function expectSameFailure(testCase: CorpusCase, expected: ExpectedFailure): void {
  let thrown: unknown;
  let result: PyValue | undefined;
  try {
    result = render(testCase);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) {
    expect.fail(`Ansible failed with ${expected.error} (${expected.cause}: ${expected.key}) but fleet returned ${pyRepr(result ?? null)}`);
  }
  // Anything but a FleetError is a bug in fleet, not a template failure.
  if (!(thrown instanceof FleetError)) throw thrown;
  const error: FleetError = thrown;
  const rule = FLEET_ERROR_FOR_CAUSE[expected.cause];
  if (!rule) expect.fail(`no fleet error mapped for Ansible's ${expected.cause}: add it to FLEET_ERROR_FOR_CAUSE`);
  expect(
    rule.kinds.some((kind) => matchesKind(error, kind)),
    `fleet raised ${fleetErrorKind(error)} (${error.message}) where Ansible raised ${expected.cause}: ${expected.key}`,
  ).toBe(true);
  if (rule.message) expect(error.message).toContain(expected.key);
}

function expectSameValue(testCase: CorpusCase, expected: ExpectedValue): void {
  const result = render(testCase);
  // Ansible's evaluate_conditional hands back the value it tested, and TaskExecutor only
  // asks whether it is true; fleet's evaluateConditional answers that question directly.
  if (testCase.mode === 'conditional' && expected.type !== 'bool' && expected.json !== undefined) {
    expect(result).toBe(pyTruthy(toPy(expected.json)));
    return;
  }
  const typeName = pyTypeName(result);
  // One string, so a mismatch prints both values in full.
  expect(`${BASE_TYPE_OF_WRAPPER[typeName] ?? typeName}: ${pyRepr(result)}`).toBe(`${expected.type}: ${expected.repr}`);
}

const caseFiles = readdirSync(CORPUS_DIR)
  .filter((f) => f.endsWith('.yml'))
  .sort();

describe.each(caseFiles)('%s', (file) => {
  const cases = loadCaseFile(file);
  const expected = loadExpected(file);

  it('has expected results generated from the current cases', () => {
    // A case added or renamed without re-running scripts/gen-template-corpus.py shows here.
    expect(expected.map((e) => e.name)).toEqual(cases.map((c) => c.name));
  });

  const pairs = cases.map((testCase, i) => ({ testCase, expected: expected[i] }));
  it.each(pairs)('$testCase.name', ({ testCase, expected: outcome }) => {
    if (!outcome || outcome.name !== testCase.name) expect.fail('expected results are stale: regenerate them');
    if (outcome.ok) expectSameValue(testCase, outcome);
    else expectSameFailure(testCase, outcome);
  });
});
