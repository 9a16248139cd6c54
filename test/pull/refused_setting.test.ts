/**
 * `fleet pull` reads the checkout's ansible.cfg as ansible-pull does: a setting fleet refuses
 * (a fact cache plugin it lacks) stops the pull with the refusal printed and exit 5, as
 * apply, render, audit, rollback and telemetry print it, and one it ignores is warned about.
 * The playbook never runs, so nothing on this machine changes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayWarning } from '../support/display_warning.js';
import { fleetBinDir } from '../support/fleet_cli.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=fleet test', '-c', 'user.email=fleet@test.invalid', ...args], { cwd, encoding: 'utf8' });

describe('fleet pull', () => {
  it('prints a refused ansible.cfg setting of the checkout and exits 5 before the playbook runs', () => {
    const root = mkdtempSync(join(tmpdir(), 'fleet-pull-refused-'));
    const repo = join(root, 'repo');
    mkdirSync(join(repo, 'playbooks'), { recursive: true });
    writeFileSync(join(repo, 'ansible.cfg'), '[defaults]\nfact_caching = redis\nstdout_callback = yaml\n');
    writeFileSync(join(repo, 'playbooks', 'site.yml'), `- hosts: all\n  gather_facts: false\n  tasks:\n    - copy: {content: ran, dest: ${join(root, 'ran')}}\n`);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'a checkout whose ansible.cfg fleet refuses');
    const checkout = join(root, 'checkout');
    const pulled = spawnSync(join(fleetBinDir(), 'fleet'), ['pull', '-U', repo, '-d', checkout], { cwd: root, env: { PATH: process.env.PATH, HOME: root, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(pulled.status, pulled.stderr).toBe(5);
    expect(pulled.stderr).toContain(displayWarning(`fleet does not support these settings and ignores them: [defaults]stdout_callback in ${join(checkout, 'ansible.cfg')}`));
    expect(pulled.stderr).toContain(
      "ERROR: fleet has no fact cache plugin 'redis' (fact_caching, ANSIBLE_CACHE_PLUGIN): it keeps facts in memory or in jsonfile (ansible.builtin.memory, ansible.builtin.jsonfile)\n",
    );
    expect(existsSync(join(root, 'ran'))).toBe(false);
  });
});
