import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANSIBLE_SETTINGS } from '../../src/config/ansible_settings.js';
import { HONOURED_ENV_ONLY, SETTINGS } from '../../src/config/honoured.js';
import { settingsWarnings } from '../../src/config/settings_warnings.js';
import { FLEET_BEHAVES_AS, WITHOUT_EFFECT, withoutEffect } from '../../src/config/without_effect.js';
import { repoRoot } from '../support/sandbox.js';

const CFG = '/p/ansible.cfg';
const iniName = (entry: string) => `[${entry.slice(0, entry.indexOf('.'))}]${entry.slice(entry.indexOf('.') + 1)}`;

/** An ansible.cfg as parsed: `section.key` entries with their values. */
function sections(entries: [string, string][]): Map<string, Map<string, string>> {
  const parsed = new Map<string, Map<string, string>>();
  for (const [entry, value] of entries) {
    const [section, key] = [entry.slice(0, entry.indexOf('.')), entry.slice(entry.indexOf('.') + 1)];
    parsed.set(section, (parsed.get(section) ?? new Map<string, string>()).set(key, value));
  }
  return parsed;
}

/** The names a warning lists, one per comma-separated item (places and prose taken off). */
function named(warning: string): string[] {
  return warning
    .replace(/^fleet does not support these settings and ignores them: /, '')
    .split(/; /)
    .flatMap((place) => place.replace(/ in (\/p\/ansible\.cfg|the environment)$/, '').split(', '));
}

describe('the table of ansible-core 2.14 settings', () => {
  it('is what the installed ansible-core defines (base.yml and its builtin plugins)', () => {
    const generated = execFileSync('/usr/bin/python3', [join(repoRoot, 'scripts', 'gen-ansible-settings.py'), '--print'], { encoding: 'utf8' });
    expect(readFileSync(join(repoRoot, 'src', 'config', 'ansible_settings.ts'), 'utf8')).toBe(generated);
    expect(ANSIBLE_SETTINGS.some((setting) => setting.name === 'DEFAULT_JINJA2_NATIVE' && setting.env.includes('ANSIBLE_JINJA2_NATIVE'))).toBe(true);
  });

  it('holds every ansible.cfg key and variable fleet honours, each setting as one Ansible setting reads it, in its order', () => {
    for (const [name, setting] of Object.entries(SETTINGS)) {
      const owner = ANSIBLE_SETTINGS.find((ansible) => JSON.stringify(ansible.ini) === JSON.stringify(setting.ini) && JSON.stringify(ansible.env) === JSON.stringify(setting.env));
      expect(owner, name).toBeDefined();
    }
    for (const env of HONOURED_ENV_ONLY) expect(ANSIBLE_SETTINGS.some((ansible) => ansible.env.includes(env)), env).toBe(true);
  });

  it('names no setting in the groups without effect that Ansible does not have', () => {
    for (const group of WITHOUT_EFFECT) {
      for (const pattern of group.settings) {
        const matches = ANSIBLE_SETTINGS.filter((setting) => (pattern.endsWith('*') ? setting.name.startsWith(pattern.slice(0, -1)) : setting.name === pattern));
        expect(matches.length, pattern).toBeGreaterThan(0);
      }
    }
    for (const name of FLEET_BEHAVES_AS.keys()) expect(ANSIBLE_SETTINGS.some((setting) => setting.name === name), name).toBe(true);
  });
});

describe('settings fleet does not honour', () => {
  const honouredIni = new Set<string>(Object.values(SETTINGS).flatMap((setting) => setting.ini));
  const honouredEnv = new Set<string>([...Object.values(SETTINGS).flatMap((setting) => setting.env), ...HONOURED_ENV_ONLY]);
  const allIni = [...new Set(ANSIBLE_SETTINGS.flatMap((setting) => setting.ini))];
  const allEnv = [...new Set(ANSIBLE_SETTINGS.flatMap((setting) => setting.env))];

  it('are each named exactly once, in one warning, whether set in ansible.cfg, the environment or both', () => {
    // 'yes' is the value fleet does not behave as for every boolean of FLEET_BEHAVES_AS.
    const warnings = settingsWarnings({ path: CFG, sections: sections(allIni.map((entry) => [entry, 'yes'])) }, Object.fromEntries(allEnv.map((name) => [name, 'yes'])));
    expect(warnings).toHaveLength(1);
    const names = named(warnings[0] as string);
    expect(names.length).toBe(new Set(names).size);
    // Every base.yml setting is honoured, deliberately without effect, or named by each of its keys and variables.
    for (const setting of ANSIBLE_SETTINGS) {
      if (withoutEffect(setting.name)) continue;
      for (const entry of setting.ini) expect(names.includes(iniName(entry)) || honouredIni.has(entry), `${setting.name} ${entry}`).toBe(true);
      for (const env of setting.env) expect(names.includes(env) || honouredEnv.has(env), `${setting.name} ${env}`).toBe(true);
    }
    // stdout_callback is honoured at some values only (default, minimal, oneline): 'yes' is none of them.
    for (const entry of honouredIni) if (entry !== 'defaults.stdout_callback') expect(names).not.toContain(iniName(entry));
    for (const env of honouredEnv) if (env !== 'ANSIBLE_STDOUT_CALLBACK') expect(names).not.toContain(env);
    expect(names).toEqual(expect.arrayContaining(['[defaults]jinja2_native', 'ANSIBLE_JINJA2_NATIVE', '[defaults]stdout_callback', '[defaults]callbacks_enabled', '[diff]always', 'ANSIBLE_SUDO_FLAGS']));
  });

  it('stay quiet when they only steer what fleet does not have, or ask for what fleet does anyway', () => {
    const quiet: [string, string][] = [
      ['defaults.interpreter_python', 'auto_silent'],
      ['defaults.pipelining', 'True'],
      ['ssh_connection.pipelining', 'True'],
      ['ssh_connection.control_path', '%(directory)s/%%h'],
      ['paramiko_connection.record_host_keys', 'False'],
      ['galaxy.server', 'https://galaxy.example'],
      ['defaults.retry_files_enabled', 'False'],
      ['defaults.jinja2_native', 'False'],
      ['defaults.nocows', '1'],
      ['defaults.stdout_callback', 'default'],
    ];
    expect(settingsWarnings({ path: CFG, sections: sections(quiet) }, { ANSIBLE_JINJA2_NATIVE: 'no', ANSIBLE_PIPELINING: '1', ANSIBLE_UNHEARD_OF: '1', ANSIBLE_FORKS: '3', ANSIBLE_STDOUT_CALLBACK: 'ansible.builtin.default' })).toEqual([]);
    expect(settingsWarnings({ path: CFG, sections: sections([['defaults.stdout_callback', 'minimal']]) }, { ANSIBLE_STDOUT_CALLBACK: 'oneline' })).toEqual([]);
    expect(settingsWarnings({ path: CFG, sections: sections([['defaults.retry_files_enabled', 'True']]) }, { ANSIBLE_JINJA2_NATIVE: 'True', ANSIBLE_STDOUT_CALLBACK: 'yaml' })).toEqual([
      `fleet does not support these settings and ignores them: [defaults]retry_files_enabled in ${CFG}; ANSIBLE_JINJA2_NATIVE, ANSIBLE_STDOUT_CALLBACK in the environment`,
    ]);
  });

  it('are told apart from keys no ansible-core setting has, which get a warning of their own', () => {
    const file = { path: CFG, sections: sections([['defaults.forks', '3'], ['defaults.forsk', '4'], ['defaults.stdout_callback', 'yaml'], ['callback_profile_tasks.sort_order', 'none']]) };
    expect(settingsWarnings(file, {})).toEqual([
      `fleet does not support these settings and ignores them: [defaults]stdout_callback in ${CFG}`,
      `ansible-core 2.14 has no setting [defaults]forsk, [callback_profile_tasks]sort_order (in ${CFG}); fleet ignores them as ansible-playbook does`,
    ]);
  });

  it('set to an empty variable are set, as for Ansible: a boolean is false, a string is empty', () => {
    // ansible-playbook stops on ANSIBLE_STDOUT_CALLBACK='' ("Invalid callback for stdout specified: ").
    expect(settingsWarnings(null, { ANSIBLE_STDOUT_CALLBACK: '' })).toEqual(['fleet does not support these settings and ignores them: ANSIBLE_STDOUT_CALLBACK in the environment']);
    expect(settingsWarnings(null, { ANSIBLE_JINJA2_NATIVE: '', ANSIBLE_RETRY_FILES_ENABLED: '' })).toEqual([]);
    expect(settingsWarnings(null, { ANSIBLE_STDOUT_CALLBACK: 'yaml' })).toEqual(['fleet does not support these settings and ignores them: ANSIBLE_STDOUT_CALLBACK in the environment']);
  });
});
