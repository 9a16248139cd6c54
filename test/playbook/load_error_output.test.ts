import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { SecretRegistry } from '../../src/secrets/registry.js';
import { withVault } from '../../src/vault/context.js';
import { Vault } from '../../src/vault/vault.js';
import { loadYamlFile } from '../../src/yaml/load.js';
import { jobBatch } from '../support/both_tools.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { hasAnsible } from '../apply/support.js';

/**
 * What `fleet apply` prints for a playbook, role or vars file it cannot load, beside what
 * ansible-playbook 2.14 prints for the same file: `ERROR! message`, then where (file, line,
 * column) and the offending line under the one before it with `^ here`. Both run on
 * `localhost,` with the local connection; neither gets past loading. The comparisons' runs
 * are made before the tests, ansible-playbook's in one batched process.
 */
const dir = join(import.meta.dirname, 'fixtures', 'load_errors');
const env = { ...process.env, ANSIBLE_ROLES_PATH: join(dir, 'roles_path'), ANSIBLE_NOCOLOR: '1', NO_COLOR: '1' };
const fleetBin = join(fleetBinDir(), 'fleet');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function fleet(playbook: string, more: string[] = []): Run {
  return spawnSync(fleetBin, ['apply', '-i', 'localhost,', '-c', 'local', ...more, playbook], { encoding: 'utf8', env });
}

const batch = jobBatch(fleetBin);
/** `ansible-playbook` and `fleet apply` (as `fleet` above) for a playbook, batched; a bare name is a fixture's. */
const job = (playbook: string, more: string[] = []) => batch.add({ args: ['-i', 'localhost,', '-c', 'local', ...more, playbook.includes('/') ? playbook : join(dir, `${playbook}.yml`)], env });

/** A playbook whose vars file is vaulted YAML that does not parse, the file encrypted by ansible-vault before the runs. */
const vaulted = mkdtempSync(join(tmpdir(), 'fleet-load-errors-'));
const vaultPassword = join(vaulted, 'password');
writeFileSync(vaultPassword, 'load-errors\n');
writeFileSync(join(vaulted, 'secret.yml'), 'token: hunter2\n  nested: 2\n');
writeFileSync(join(vaulted, 'play.yml'), '- hosts: localhost\n  gather_facts: false\n  vars_files: [secret.yml]\n  tasks: []\n');
const vaultedRuns = job(join(vaulted, 'play.yml'), ['--vault-password-file', vaultPassword]);

beforeAll(async () => {
  if (!hasAnsible()) return;
  const vault = spawnSync('ansible-vault', ['encrypt', '--vault-password-file', vaultPassword, join(vaulted, 'secret.yml')], { encoding: 'utf8', env });
  if (vault.status !== 0) throw new Error(`ansible-vault encrypt failed: ${vault.stderr}`);
  await batch.run();
}, 600_000);

interface Report {
  message: string;
  file: string;
  line: number;
  col: number;
  /** The line before the offending one, the offending one, and the marker line. */
  shown?: [string, string, string];
}

const POSITION = /\n\nThe error appears to be in '([^']+)': line (\d+), column (\d+), but may\nbe elsewhere in the file depending on the exact syntax problem\.\n/;
const SHOWN = /^\nThe offending line appears to be:\n\n(.*)\n(.*)\n( *\^ here)\n/;

/** The first ERROR! report in `stderr`; `whole` demands that nothing follows it. */
function reportOf(stderr: string, whole: boolean): Report {
  const start = stderr.indexOf('ERROR! ');
  expect(start, stderr).toBeGreaterThanOrEqual(0);
  const text = stderr.slice(start + 'ERROR! '.length);
  const position = POSITION.exec(text);
  if (!position) throw new Error(`no position paragraph in:\n${stderr}`);
  const [, file = '', line = '', col = ''] = position;
  const rest = text.slice(position.index + position[0].length);
  const shown = SHOWN.exec(rest);
  if (whole) expect(rest.slice(shown?.[0].length ?? 0), stderr).toBe('');
  const report: Report = { message: text.slice(0, position.index), file, line: Number(line), col: Number(col) };
  if (shown) report.shown = [shown[1] ?? '', shown[2] ?? '', shown[3] ?? ''];
  return report;
}

/** What the report shows for a position: the line before, the line, `^ here` under the column. */
function linesAt(file: string, line: number, col: number): [string, string, string] {
  const lines = readFileSync(file, 'utf8').split('\n');
  return [lines[line - 2] ?? '', lines[line - 1] ?? '', `${' '.repeat(col - 1)}^ here`];
}

/**
 * Mistakes both tools refuse: the file, fleet's message (Ansible's, then the key path), where
 * fleet points, and how Ansible's message starts. Where the two point at the same place, they
 * print the same lines; an unknown keyword fleet points at the key, Ansible at its task.
 */
const refusedByBoth: { name: string; file?: string; message: string; line: number; col: number; ansibleMessage: string }[] = [
  {
    name: 'unknown-keyword',
    message: "'listen' is not a valid attribute for a Task (at [0].tasks[0].listen)",
    line: 6,
    col: 7,
    ansibleMessage: "'listen' is not a valid attribute for a Task",
  },
  {
    name: 'bad-indentation',
    message: 'YAML syntax error: All sequence items must start at the same column',
    line: 7,
    col: 6,
    ansibleMessage: 'We were unable to read either as JSON nor YAML',
  },
  {
    name: 'missing-role',
    message: `the role 'nope' was not found in ${dir}/roles:${dir}/roles_path:${dir} (at [0].roles[0])`,
    line: 4,
    col: 7,
    ansibleMessage: `the role 'nope' was not found in ${dir}/roles:${dir}/roles_path:${dir}`,
  },
  {
    name: 'broken-role',
    file: 'roles/broken/tasks/main.yml',
    message: 'conflicting action statements: debug, notfiy (at [1])',
    line: 4,
    col: 3,
    ansibleMessage: 'conflicting action statements: debug, notfiy',
  },
];

describe.skipIf(!hasAnsible())('load errors print as ansible-playbook prints them', () => {
  it.each(refusedByBoth.map((testCase) => ({ ...testCase, runs: job(testCase.name) })))('$name', ({ name, file, message, line, col, ansibleMessage, runs }) => {
    const errorFile = join(dir, file ?? `${name}.yml`);
    const { ansible: theirs, fleet: ours } = runs();
    expect(ours.status, ours.stderr).toBe(theirs.status);
    expect([1, 4]).toContain(theirs.status);
    // Nothing ran: no play banner before the error.
    expect(ours.stdout).toBe('');
    expect(ours.stderr.startsWith('ERROR! '), ours.stderr).toBe(true);

    const fleetReport = reportOf(ours.stderr, true);
    expect(fleetReport).toEqual({ message, file: errorFile, line, col, shown: linesAt(errorFile, line, col) });

    const ansibleReport = reportOf(theirs.stderr, false);
    expect(ansibleReport.message.startsWith(ansibleMessage), ansibleReport.message).toBe(true);
    expect(ansibleReport.file).toBe(errorFile);
    if (ansibleReport.line === line && ansibleReport.col === col) expect(fleetReport.shown).toEqual(ansibleReport.shown);
  });

  it('a vaulted file that does not parse is named, its lines are not shown', () => {
    const { ansible: theirs, fleet: ours } = vaultedRuns();
    for (const run of [theirs, ours]) {
      expect(run.status).not.toBe(0);
      expect(run.stdout + run.stderr).not.toContain('hunter2');
      const report = reportOf(run.stderr, true);
      expect(report.file).toBe(join(vaulted, 'secret.yml'));
      expect(report.shown).toBeUndefined();
    }
  });
});

/**
 * Malformed files an include loads while the play runs: Ansible re-raises the parser error and
 * the run ends there (no recap), as it does at load time. Both exit 4, as on a parser error
 * at load time.
 */
const loadedByAnInclude: { name: string; file: string; message: string; line: number; col: number }[] = [
  {
    name: 'handler-includes-block',
    file: 'handler-tasks-with-block.yml',
    message: 'Using a block as a handler is not supported. (at [0].block[1])',
    line: 5,
    col: 7,
  },
  {
    name: 'include-broken-role',
    file: 'roles/broken/tasks/main.yml',
    message: 'conflicting action statements: debug, notfiy (at [1])',
    line: 4,
    col: 3,
  },
];

describe.skipIf(!hasAnsible())('a malformed file an include loads ends the run as ansible-playbook ends it', () => {
  it.each(loadedByAnInclude.map((testCase) => ({ ...testCase, runs: job(testCase.name) })))('$name', ({ file, message, line, col, runs }) => {
    const errorFile = join(dir, file);
    const { ansible: theirs, fleet: ours } = runs();
    expect(theirs.status).toBe(4);
    expect(ours.status, ours.stderr).toBe(4);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stdout).not.toContain('PLAY RECAP');
    const report = { message, file: errorFile, line, col, shown: linesAt(errorFile, line, col) };
    expect(reportOf(ours.stderr, true)).toEqual(report);
    expect(reportOf(theirs.stderr, true)).toEqual({ ...report, message: message.replace(/ \(at \S+\)$/, '') });
  });

  /**
   * A role an include_role names that is not there fails its hosts, not the run: the error is
   * shown as `ERROR!` at the role's name (none for a `k=v` name), with no `fatal:` line and
   * nothing counted. A rescue runs without counting the host rescued or putting it back in
   * ansible_play_hosts; without one the host stops and the run exits 2.
   */
  it.each(['include-missing-role', 'include-missing-role-rescue'].map((name) => ({ name, runs: job(name) })))('$name', ({ runs }) => {
    const { ansible: theirs, fleet: ours } = runs();
    expect(theirs.status, theirs.stderr).toBe(2);
    expect(ours.status, ours.stderr).toBe(2);
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.stderr).toBe(theirs.stderr);
    expect(theirs.stderr).toContain(`the role 'nope' was not found in ${dir}/roles:`);
    expect(theirs.stdout).not.toContain('"msg": "after"');
  });
});

describe('load errors only fleet reports print the same way', () => {
  it("a 'when' that is a mapping names its key path and what was expected", () => {
    const playbook = join(dir, 'when-mapping.yml');
    const ours = fleet(playbook);
    expect(ours.status).toBe(4);
    expect(ours.stdout).toBe('');
    expect(reportOf(ours.stderr, true)).toEqual({
      message: "'when' must be a condition (a string or boolean) or a list of them, got a mapping (at [0].tasks[0].when)",
      file: playbook,
      line: 7,
      col: 9,
      shown: ['      when:', '        a: 1', '        ^ here'],
    });
  }, 60_000);
});

describe('a vaulted YAML file that does not parse', () => {
  it("keeps its lines out of the error's one-line form too (fleet validate, task results, the run history)", async () => {
    const work = mkdtempSync(join(tmpdir(), 'fleet-load-errors-'));
    try {
      const secret = { id: 'default', password: Buffer.from('load-errors') };
      const vault = new Vault([secret]);
      const file = join(work, 'secret.yml');
      writeFileSync(file, vault.encrypt('token: hunter2\n  nested: 2\n', secret));
      const error = await withVault({ vault, secrets: new SecretRegistry() }, async () => {
        try {
          loadYamlFile(file);
        } catch (caught) {
          return caught;
        }
        throw new Error('the vaulted file loaded');
      });
      expect(error).toBeInstanceOf(ValidationError);
      const text = (error as ValidationError).format();
      expect(text).toMatch(new RegExp(`^${file}:1:\\d+: YAML syntax error: `));
      expect(text).not.toContain('hunter2');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});

afterAll(() => {
  rmSync(join(fleetBin, '..'), { recursive: true, force: true });
  rmSync(vaulted, { recursive: true, force: true });
});
