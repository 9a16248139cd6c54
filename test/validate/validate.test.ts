import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, validateProject } from '../../src/validate/index.js';
import { repoRoot } from '../support/sandbox.js';
import { fleetProgram } from '../support/fleet_cli.js';

const fixtures = join(import.meta.dirname, 'fixtures');

function problemLines(cwd: string, paths: string[] = []): string[] {
  return validateProject({ paths, cwd, inventory: [], extraVars: [], env: {} }).problems.map((problem) => formatProblem(problem, cwd));
}

describe('fleet validate', () => {
  it('reports every problem of a project in one run, each where it was written', () => {
    expect(problemLines(join(fixtures, 'broken'))).toEqual([
      'group_vars/all.yml:2:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
      'group_vars/web.yml:2:20: banned provider "anthropic" (BANNED_PROVIDERS.yml) in upstream_provider',
      'playbooks/typo.yml:4:7: conflicting action statements: command, becom (at [0].tasks[0])',
      'roles/web/tasks/main.yml:4:5: value of state must be one of: absent, directory, file, hard, link, touch, got: directroy',
      "roles/web/tasks/main.yml:13:41: 'site_prot' is undefined: no vars file, inventory, play, role, register, set_fact or loop of the project defines it",
      "roles/web/tasks/main.yml:17:26: template error: expected token 'name', got 'end of print statement'",
      'roles/web/templates/page.j2:2:11: banned model "claude-*" (BANNED_PROVIDERS.yml) in the file',
      `roles/web/templates/page.j2:6:16: template error: Could not load "no_such_filter": 'no_such_filter'`,
      "roles/web/templates/unclosed.j2:2:5: template error: Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
    ]);
  });

  it('finds no problem in the apply fixtures but those they make on purpose (bad arguments, undefined names)', () => {
    expect(problemLines(repoRoot, ['test/apply/fixtures'])).toEqual([
      "test/apply/fixtures/invocation.yml:69:29: argument 'follow' is of type <class 'str'> and we were unable to convert to bool: The value 'maybe' is not a valid boolean.  Valid booleans include: 0, 'off', 'on', 1, 'f', 't', 'false', 'y', 'n', 'true', 'no', 'yes'",
      'test/apply/fixtures/invocation.yml:78:9: Unsupported parameters for (command) module: bogus. Supported parameters include: _raw_params, _uses_shell, argv, chdir, creates, executable, removes, stdin, stdin_add_newline, strip_empty_ends.',
      "test/apply/fixtures/regressions.yml:17:18: 'no_such_variable' is undefined: no vars file, inventory, play, role, register, set_fact or loop of the project defines it",
      'test/apply/fixtures/regressions.yml:28:9: value of state must be one of: absent, directory, file, hard, link, touch, got: bogus',
      'test/apply/fixtures/regressions.yml:32:7: Invalid options for debug: nosuch',
      "test/apply/fixtures/regressions.yml:49:24: 'no_such_list' is undefined: no vars file, inventory, play, role, register, set_fact or loop of the project defines it",
    ]);
  });

  it('a role checked alone is loaded as a play of its own and takes the names its project defines (site_name: the inventory)', () => {
    expect(problemLines(join(fixtures, 'broken'), ['roles/web'])).toEqual([
      'roles/web/tasks/main.yml:4:5: value of state must be one of: absent, directory, file, hard, link, touch, got: directroy',
      "roles/web/tasks/main.yml:13:41: 'site_prot' is undefined: no vars file, inventory, play, role, register, set_fact or loop of the project defines it",
      "roles/web/tasks/main.yml:17:26: template error: expected token 'name', got 'end of print statement'",
      `roles/web/templates/page.j2:6:16: template error: Could not load "no_such_filter": 'no_such_filter'`,
      "roles/web/templates/unclosed.j2:2:5: template error: Unexpected end of template. Jinja was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.",
    ]);
  });

  it('a path that does not exist is a problem, not a clean run', () => {
    expect(problemLines(join(fixtures, 'broken'), ['no/such.yml'])).toEqual(['no/such.yml:1:1: no such file or directory']);
  });

  it('an inventory given with -i is checked with the project, its problem located', () => {
    const cwd = join(fixtures, 'broken');
    const problems = validateProject({ paths: [], cwd, inventory: ['../inventories/hosts_list.yml'], extraVars: [], env: {} }).problems;
    expect(problems.map((problem) => formatProblem(problem, fixtures))).toContain('inventories/hosts_list.yml:6:9: Invalid "hosts" entry for "web" group, requires a dictionary, found "<class \'ansible.parsing.yaml.objects.AnsibleSequence\'>" instead.');
    expect(problems).toHaveLength(10);
  });

  it('a name given with -e is defined', () => {
    const cwd = join(fixtures, 'broken');
    const problems = validateProject({ paths: [], cwd, inventory: [], extraVars: ['site_prot=80'], env: {} }).problems;
    expect(problems.map((problem) => problem.message)).not.toContainEqual(expect.stringContaining("'site_prot'"));
    expect(problems).toHaveLength(8);
  });

  it('the repository validates clean: `fleet validate` from the repo root exits 0', () => {
    const run = spawnSync(...fleetProgram(['validate']), { cwd: repoRoot, encoding: 'utf8' });
    expect(run.stdout).toMatch(/^ok: \d+ files valid \(\d+\.\d\d s\)\n$/);
    expect(run.status).toBe(0);
  }, 60_000);

  it('exits 1 and prints file:line:col lines when there are problems', () => {
    const run = spawnSync(...fleetProgram(['validate']), { cwd: join(fixtures, 'broken'), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(9);
    expect(run.stderr).toMatch(/^9 problem\(s\) in 10 files/);
  }, 60_000);
});
