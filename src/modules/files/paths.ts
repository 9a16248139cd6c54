import type { ModuleContext } from '../types.js';

/**
 * The `~` expansion Ansible's `path` type applies on the host (os.path.expanduser), done with
 * the home directory probed from the connection. `~user` is left alone, as fleet does not
 * know other users' homes; `$VAR` expansion (expandvars) is not applied.
 */
export function expandUser(path: string, ctx: Pick<ModuleContext, 'userland'>): string {
  if (path === '~') return ctx.userland.home;
  if (path.startsWith('~/')) return `${ctx.userland.home.replace(/\/$/, '')}${path.slice(1)}`;
  return path;
}
