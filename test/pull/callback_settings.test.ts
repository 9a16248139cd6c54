/**
 * `fleet pull` prints by the default callback's options of the checkout's ansible.cfg, which it
 * reads only once the checkout is updated (after its output began), without warning of them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleetBinDir } from '../support/fleet_cli.js';

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=fleet test', '-c', 'user.email=fleet@test.invalid', ...args], { cwd, encoding: 'utf8' });

describe('fleet pull', () => {
  it("hides skipped results and their task's banner when the checkout's ansible.cfg says so", () => {
    const root = mkdtempSync(join(tmpdir(), 'fleet-pull-callback-'));
    const repo = join(root, 'repo');
    mkdirSync(join(repo, 'playbooks'), { recursive: true });
    writeFileSync(join(repo, 'ansible.cfg'), '[defaults]\ndisplay_skipped_hosts = false\n');
    writeFileSync(join(repo, 'playbooks', 'site.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - {name: skipped, debug: {msg: no}, when: false}\n    - {name: shown, debug: {msg: yes}}\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'a checkout that hides skipped hosts');
    const pulled = spawnSync(join(fleetBinDir(), 'fleet'), ['pull', '-U', repo, '-d', join(root, 'checkout')], { cwd: root, env: { PATH: process.env.PATH, HOME: root, NO_COLOR: '1' }, encoding: 'utf8' });
    expect(pulled.status, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain('TASK [shown]');
    expect(pulled.stdout).not.toMatch(/TASK \[skipped\]|skipping:/);
    expect(pulled.stdout).toMatch(/skipped=1 /);
    expect(pulled.stderr).not.toContain('does not support');
  });
});
