import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResolvedConfig } from './ansible_cfg.js';

/**
 * DEFAULT_ROLES_PATH: the configured roles path, or base.yml's default
 * `{{ ANSIBLE_HOME ~ "/roles:/usr/share/ansible/roles:/etc/ansible/roles" }}` (ANSIBLE_HOME
 * itself defaults to ~/.ansible), searched after the playbook's own roles/.
 */
export function rolesPathFrom(config: ResolvedConfig, cwd: string): string[] {
  const ansibleHome = config.get('ansibleHome') ?? join(homedir(), '.ansible');
  const value = config.get('rolesPath') ?? `${ansibleHome}/roles:/usr/share/ansible/roles:/etc/ansible/roles`;
  return value
    .split(/[,:]/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((path) => resolve(cwd, path));
}
