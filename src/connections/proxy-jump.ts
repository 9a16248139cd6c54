import { ConnectionError } from '../errors.js';
import type { SshTarget } from './types.js';

/**
 * Applies an OpenSSH ProxyJump value (`-J` / `-o ProxyJump=`): comma-separated hops, first hop
 * first, each `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`;
 * `none` means no jump. Hops reuse the target's credentials, known_hosts and checking mode,
 * and default to the target's user and port 22, as ssh does without per-hop config.
 */
export function withProxyJump(target: SshTarget, spec: string): SshTarget {
  const value = spec.trim();
  if (value === '' || value.toLowerCase() === 'none') return target;
  let previous: SshTarget | undefined;
  for (const hop of value.split(',')) {
    const jump: SshTarget = { ...target, ...parseHop(hop.trim(), target), proxyJump: previous };
    if (!previous) delete jump.proxyJump;
    previous = jump;
  }
  return { ...target, proxyJump: previous };
}

function parseHop(hop: string, target: SshTarget): Pick<SshTarget, 'host' | 'address' | 'port' | 'user'> {
  const match = /^(?:ssh:\/\/)?(?:([^@]+)@)?(?:\[([^\]]+)\]|([^:@/]+))(?::(\d+))?\/?$/.exec(hop);
  const address = match?.[2] ?? match?.[3];
  if (!match || !address) {
    throw new ConnectionError(`${target.host}: cannot parse ProxyJump hop '${hop}' (expected [user@]host[:port])`);
  }
  return { host: address, address, port: match[4] ? Number(match[4]) : 22, user: match[1] ?? target.user };
}
