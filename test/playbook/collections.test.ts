import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { PyDict } from '../../src/template/values.js';
import { allTasks } from './helpers.js';

const dir = join(import.meta.dirname, 'fixtures', 'collections');

/** The module each launchd-looking task resolves to, or the load error. */
function fleetResolves(name: string): string {
  try {
    const playbook = loadPlaybook(join(dir, name), { rolesPath: [], extraVars: new PyDict() });
    const plays = playbook.plays;
    return plays.flatMap((play) => allTasks(play.preTasks, play.roles, play.tasks, play.postTasks)).map((task) => task.action).join(' ');
  } catch (error) {
    if (error instanceof ValidationError) return error.message.split('\n')[0]?.replace(/^.*?(couldn't resolve)/, 'ERROR! $1').replace(/ \(at .*\)$/, '') ?? '';
    throw error;
  }
}

/** ansible-playbook --syntax-check's verdict: 'ok', or its ERROR! line. */
function ansibleSays(name: string): string {
  try {
    execFileSync('ansible-playbook', ['--syntax-check', name], { cwd: dir, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, ANSIBLE_ROLES_PATH: join(dir, 'roles') } });
    return 'ok';
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    return stderr.split('\n').find((line) => line.startsWith('ERROR!')) ?? stderr;
  }
}

// What a short module name resolves to through `collections:` (play, block, task, role meta),
// each case checked against ansible-playbook --syntax-check (community.general installed).
const cases: [string, string][] = [
  ['bare.yml', "ERROR! couldn't resolve module/action 'launchd'. This often indicates a misspelling, missing collection, or incorrect module path."],
  ['builtin-prefix.yml', "ERROR! couldn't resolve module/action 'ansible.builtin.launchd'. This often indicates a misspelling, missing collection, or incorrect module path."],
  ['fqcn.yml', 'community.general.launchd'],
  ['play.yml', 'community.general.launchd copy'],
  ['block.yml', 'community.general.launchd'],
  ['task.yml', 'community.general.launchd'],
  ['builtin-first.yml', 'community.general.launchd'],
  ['role-meta.yml', 'community.general.launchd'],
  ['play-into-role.yml', "ERROR! couldn't resolve module/action 'launchd'. This often indicates a misspelling, missing collection, or incorrect module path."],
  ['role-meta-not-play.yml', "ERROR! couldn't resolve module/action 'launchd'. This often indicates a misspelling, missing collection, or incorrect module path."],
];

describe('collections: short module names', () => {
  it.each(cases)('%s resolves as under ansible-playbook', (name, expected) => {
    expect(fleetResolves(name)).toBe(expected);
    expect(ansibleSays(name)).toBe(expected.startsWith('ERROR!') ? expected : 'ok');
  });
});
