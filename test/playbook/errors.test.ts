import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { PyDict } from '../../src/template/values.js';
import { testActions } from './known_actions.js';

const dir = join(import.meta.dirname, 'fixtures', 'errors');

/** What ansible-playbook --syntax-check said (scripts/gen-playbook-expected.sh). */
function ansibleSays(name: string): string {
  return readFileSync(join(dir, `${name}.expected`), 'utf8').split('\n')[0] ?? '';
}

function loadError(name: string): ValidationError {
  try {
    loadPlaybook(join(dir, `${name}.yml`), { rolesPath: [], extraVars: new PyDict(), isKnownAction: testActions });
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`${name}.yml loaded without error`);
}

/**
 * Fixture, where fleet points (the offending key or value), and how much of Ansible's message
 * must match: all of it, or the part before text that differs by design (Ansible prints a
 * Python set in arbitrary order, or paths of this machine's roles_path).
 */
const sameAsAnsible: [string, number, number, string?][] = [
  ['unknown-play-key', 2, 3],
  ['unknown-task-key', 5, 7],
  ['unknown-block-key', 5, 7],
  ['conflicting-actions', 3, 7],
  ['unknown-key-beside-action', 3, 7],
  ['no-action', 3, 7],
  ['unresolved-action', 3, 7],
  ['loop-control-not-dict', 5, 21],
  ['loop-control-bad-key', 6, 9],
  ['tags-mapping', 4, 13],
  ['hosts-missing', 1, 3],
  ['empty-hosts', 1, 10],
  ['include-bad-keyword', 4, 7],
  ['import-with-loop', 3, 7],
  ['extra-params', 3, 7, 'which is only allowed in the following modules: '],
  ['bare-args', 4, 7],
  ['int-args', 3, 7],
  ['role-not-found', 3, 7, ' was not found in '],
  ['include-role-no-name', 3, 7],
  ['handler-nested-block', 5, 11],
  ['unbalanced-quotes', 3, 7],
  ['duplicate-loop', 5, 7],
  ['unknown-lookup-loop', 4, 7],
  ['vars-not-dict', 4, 13],
  ['bad-variable-name', 5, 9],
  ['play-not-mapping', 1, 3],
  ['playbook-not-list', 1, 1, ' instead: '],
  ['import-playbook-vars', 2, 9],
  ['user-and-remote-user', 2, 3],
  ['missing-import', 3, 7, "Could not find or access '"],
  ['invalid-import-option', 3, 7],
  ['local-and-action', 4, 7],
  ['with-value-missing', 4, 7],
  ['role-bad-meta', 2, 1],
  ['role-vars-not-dict', 1, 1],
  ['role-tasks-from-missing', 3, 7],
  ['null-in-block', 5, 10],
  ['role-dependency-cycle', 1, 15],
  ['handler-include-role', 4, 7],
  ['task-file-as-playbook', 2, 3],
];

/** Errors in a role's files point into those files. */
const errorFile: Record<string, string> = {
  'role-bad-meta': 'roles/badmeta/meta/main.yml',
  'role-vars-not-dict': 'roles/badvars/vars/main.yml',
  'role-dependency-cycle': 'roles/cycle_b/meta/main.yml',
};

describe('errors Ansible also reports at load time', () => {
  it.each(sameAsAnsible)('%s', (name, line, col, upTo) => {
    const ansible = ansibleSays(name);
    expect(ansible).not.toBe('ACCEPTED');
    const compared = upTo === undefined ? ansible : ansible.slice(0, ansible.indexOf(upTo) + upTo.length);
    const error = loadError(name);
    expect(error.message.startsWith(compared), `${error.message}\n  should start with\n${compared}`).toBe(true);
    expect(error.location).toEqual({ file: join(dir, errorFile[name] ?? `${name}.yml`), line, col });
  });
});

/**
 * Values Ansible accepts when loading but fails on when the task runs, which fleet refuses up
 * front, and the one form fleet does not run (a dynamic `include`).
 */
const strictlyEarlier: [string, number, number, string][] = [
  ['serial-word', 2, 11, "'serial' must be an integer, a percentage or a list of them, got 'abc'"],
  ['become-maybe', 4, 15, "'become' must be a boolean (yes/no/true/false), got 'maybe'"],
  ['when-mapping', 4, 13, "'when' must be a condition (a string or boolean) or a list of them, got a mapping"],
  ['include-dynamic', 3, 7, "a dynamic 'include' (templated file name, loop, or inside a dynamic include) is not supported by fleet"],
];

describe('errors fleet reports before Ansible would', () => {
  it.each(strictlyEarlier)('%s', (name, line, col, message) => {
    expect(ansibleSays(name)).toBe('ACCEPTED');
    const error = loadError(name);
    expect(error.message).toContain(message);
    expect(error.location).toMatchObject({ line, col });
  });
});

describe('errors Ansible does not handle', () => {
  it('an import_tasks loop is refused where Ansible crashes', () => {
    expect(ansibleSays('import-cycle')).toBe('Unexpected Exception, this is probably a bug: maximum recursion depth exceeded');
    const error = loadError('import-cycle');
    expect(error.message).toMatch(/^import_tasks of 'import-cycle-tasks.yaml' imports itself/);
    expect(error.location).toEqual({ file: join(dir, 'import-cycle-tasks.yaml'), line: 1, col: 3 });
  });
});

describe('error reports', () => {
  it('name the file, the key path and show the source line', () => {
    const error = loadError('unknown-task-key');
    expect(error.format()).toBe(
      `${join(dir, 'unknown-task-key.yml')}:5:7: 'listen' is not a valid attribute for a Task (at [0].tasks[0].listen)\n` +
        '        listen: topic\n' +
        '        ^',
    );
  });
  it('cover every error fixture', () => {
    const fixtures = readdirSync(dir).filter((file) => file.endsWith('.yml') && file !== 'other.yml').map((file) => file.slice(0, -4));
    const covered = [...sameAsAnsible, ...strictlyEarlier].map(([name]) => name).concat('import-cycle');
    expect(fixtures.sort()).toEqual(covered.sort());
  });
});
