import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ResolvedConfig } from './ansible_cfg.js';

/**
 * DEFAULT_ROLES_PATH: the configured roles path (a pathspec: `:`-separated), or base.yml's
 * default `{{ ANSIBLE_HOME ~ "/roles:/usr/share/ansible/roles:/etc/ansible/roles" }}`
 * (ANSIBLE_HOME itself defaults to ~/.ansible), searched after the playbook's own roles/.
 */
export function rolesPathFrom(config: ResolvedConfig, cwd: string): string[] {
  const ansibleHome = config.get('ansibleHome') ?? join(homedir(), '.ansible');
  const paths = config.paths('rolesPath') ?? `${ansibleHome}/roles:/usr/share/ansible/roles:/etc/ansible/roles`.split(':');
  return paths.map((path) => resolve(cwd, path));
}
