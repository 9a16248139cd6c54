import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { applyOptionsFrom, optionsOrError } from '../../src/cli/apply.js';
import { loadConfig } from '../../src/config/ansible_cfg.js';
import { CacheSettingError, factCacheFrom, gatheringFrom } from '../../src/facts/cache/settings.js';

function project(cfg: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'fleet-cache-cfg-'));
  writeFileSync(join(dir, 'ansible.cfg'), cfg);
  return dir;
}

function settings(cfg: string, env: NodeJS.ProcessEnv = {}, cwd?: string) {
  const dir = project(cfg);
  const warnings: string[] = [];
  const config = loadConfig(cwd ?? dir, { ...env, ANSIBLE_CONFIG: join(dir, 'ansible.cfg') });
  return { dir, warnings, read: () => ({ gathering: gatheringFrom(config), cache: factCacheFrom(config, (message) => warnings.push(message)) }) };
}

const noFlags = { inventory: [], tags: [], skipTags: [], extraVars: [], verbose: 0 };

describe('fact cache settings', () => {
  it('default to implicit gathering and the memory cache', () => {
    expect(settings('[defaults]\n').read()).toEqual({ gathering: 'implicit', cache: { plugin: 'memory' } });
  });

  it('read jsonfile with its directory relative to ansible.cfg, its prefix and timeout; the environment wins', () => {
    const { dir, read } = settings('[defaults]\ngathering = smart\nfact_caching = ansible.builtin.jsonfile\nfact_caching_connection = facts\nfact_caching_prefix = p_\nfact_caching_timeout = 1_000\n');
    expect(read()).toEqual({ gathering: 'smart', cache: { plugin: 'jsonfile', dir: join(dir, 'facts'), prefix: 'p_', timeoutSeconds: 1000 } });
    const cwd = mkdtempSync(join(tmpdir(), 'fleet-cache-cwd-'));
    const env = { ANSIBLE_GATHERING: 'explicit', ANSIBLE_CACHE_PLUGIN: 'jsonfile', ANSIBLE_CACHE_PLUGIN_CONNECTION: 'rel/$FACTS_SUB', FACTS_SUB: 'x', ANSIBLE_CACHE_PLUGIN_TIMEOUT: ' 0 ', ANSIBLE_CACHE_PLUGIN_PREFIX: 'e_' };
    expect(settings('[defaults]\nfact_caching_connection = facts\n', env, cwd).read()).toEqual({ gathering: 'explicit', cache: { plugin: 'jsonfile', dir: join(cwd, 'rel', 'x'), prefix: 'e_', timeoutSeconds: 0 } });
  });

  it('expand ~ in the directory, and give jsonfile no prefix unless one is set', () => {
    expect(settings('[defaults]\nfact_caching = jsonfile\nfact_caching_connection = ~/fleet-facts\n').read().cache).toEqual({ plugin: 'jsonfile', dir: join(homedir(), 'fleet-facts'), prefix: '', timeoutSeconds: 86400 });
  });

  it('fall back to memory with Ansible\'s warning when jsonfile has no directory', () => {
    const { warnings, read } = settings('[defaults]\nfact_caching = jsonfile\n');
    expect(read().cache).toEqual({ plugin: 'memory' });
    expect(warnings).toEqual(['No setting was provided for required configuration plugin_type: cache plugin: jsonfile setting: _uri']);
  });

  it('reject what Ansible rejects, naming the setting and where it came from', () => {
    const { dir, read } = settings('[defaults]\nfact_caching_timeout = 1.5\n');
    expect(read).toThrow(new CacheSettingError(`Invalid type for configuration option setting: CACHE_PLUGIN_TIMEOUT (from ${join(dir, 'ansible.cfg')}): invalid literal for int() with base 10: '1.5'`));
    expect(settings('[defaults]\n', { ANSIBLE_CACHE_PLUGIN_TIMEOUT: 'abc' }).read).toThrow("(from env: ANSIBLE_CACHE_PLUGIN_TIMEOUT): invalid literal for int() with base 10: 'abc'");
    expect(settings('[defaults]\ngathering = SMART\n').read).toThrow('Invalid value "SMART" for configuration option "setting: DEFAULT_GATHERING ", valid values are: implicit, explicit, smart');
  });

  it('refuse a cache plugin fleet lacks instead of not persisting facts', () => {
    for (const plugin of ['redis', 'community.general.yaml', 'JSONFILE']) {
      expect(settings(`[defaults]\nfact_caching = ${plugin}\n`).read).toThrow(`fleet has no fact cache plugin '${plugin}'`);
    }
  });

  it('reach the run options, a refused setting as a bad option (exit 5); --flush-cache is a flag', () => {
    const good = project('[defaults]\ngathering = smart\nfact_caching = memory\n');
    const options = applyOptionsFrom([], { ...noFlags, flushCache: true }, {}, good);
    expect([options.gathering, options.factCache, options.flushCache]).toEqual(['smart', { plugin: 'memory' }, true]);
    expect(applyOptionsFrom([], noFlags, {}, good).flushCache).toBe(false);
    const bad = project('[defaults]\nfact_caching = bogus\n');
    expect(() => applyOptionsFrom([], noFlags, {}, bad)).toThrow(CommanderError);
  });

  it('print a refused setting as ERROR: before the command exits 5', () => {
    const bad = project('[defaults]\ngathering = sometimes\n');
    const printed = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => optionsOrError(() => applyOptionsFrom([], noFlags, {}, bad))).toThrow(CommanderError);
      expect(printed).toHaveBeenCalledWith('ERROR: Invalid value "sometimes" for configuration option "setting: DEFAULT_GATHERING ", valid values are: implicit, explicit, smart\n');
    } finally {
      printed.mockRestore();
    }
  });
});
