import { setTimeout as sleep } from 'node:timers/promises';
import { Script, sh } from '../../shell/script.js';
import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { expandInto, expandUserFunctions } from './expand.js';

// modules/wait_for.py argument_spec
const spec: ArgSpec = {
  options: {
    host: { type: 'str', default: '127.0.0.1' },
    timeout: { type: 'int', default: 300 },
    connect_timeout: { type: 'int', default: 5 },
    delay: { type: 'int', default: 0 },
    port: { type: 'int' },
    active_connection_states: { type: 'list', elements: 'str', default: ['ESTABLISHED', 'FIN_WAIT1', 'FIN_WAIT2', 'SYN_RECV', 'SYN_SENT', 'TIME_WAIT'] },
    path: { type: 'path' },
    search_regex: { type: 'str' },
    state: { type: 'str', default: 'started', choices: ['absent', 'drained', 'present', 'started', 'stopped'] },
    exclude_hosts: { type: 'list', elements: 'str' },
    sleep: { type: 'int', default: 1 },
    msg: { type: 'str' },
  },
};

/** One probe: does the file exist (and its content), or does a TCP connect succeed. */
function probeScript(args: Args, ctx: ModuleContext): Script {
  const path = args.get('path');
  if (typeof path === 'string') {
    return Script.join([
      expandUserFunctions(ctx.userland),
      expandInto('fleet_p', path),
      Script.raw('fleet_emit path "$fleet_p"'),
      Script.raw('if [ -e "$fleet_p" ]; then fleet_emit exists 1; [ -r "$fleet_p" ] && [ -f "$fleet_p" ] && fleet_emit_file content "$fleet_p"; fi'),
      pathInfoScript(ctx),
    ]);
  }
  const host = String(args.get('host'));
  const port = String(args.get('port'));
  const wait = String(args.get('connect_timeout'));
  // No POSIX tool connects to a port: nc when present, else bash's /dev/tcp.
  return sh`if command -v nc >/dev/null 2>&1; then nc -z -w ${wait} ${host} ${port} >/dev/null 2>&1 && fleet_emit open 1
elif command -v bash >/dev/null 2>&1; then bash -c 'exec 3<>"/dev/tcp/$1/$2"' fleet ${host} ${port} >/dev/null 2>&1 && fleet_emit open 1
else fleet_emit no_tool 1; fi`;
}

/** What AnsibleModule.add_path_info needs about $fleet_p: stat fields and the link count. */
function pathInfoScript(ctx: ModuleContext): Script {
  const links = ctx.userland.stat === 'gnu' ? "stat -L -c '%h'" : "stat -L -f '%l'";
  return Script.raw(`if fleet_stat "$fleet_p"; then
  fleet_emit stat "$fleet_type $fleet_mode $fleet_uid $fleet_gid $fleet_size"; fleet_emit owner "$fleet_owner"; fleet_emit group "$fleet_group"
  [ -d "$fleet_p" ] || fleet_emit links "$(${links} "$fleet_p")"
fi`);
}

/**
 * AnsibleModule.add_path_info: a result whose `path` exists gains its owner, mode, size…
 * and `state` becomes file/directory/link/hard; a missing path makes `state` absent.
 */
function addPathInfo(result: ModuleResult, output: RemoteOutput): ModuleResult {
  if (!output.fields.has('stat')) return { ...result, state: 'absent' };
  const [type, mode, uid, gid, size] = field(output, 'stat').split(' ') as [string, string, string, string, string];
  const state = type === 'link' ? 'link' : type === 'directory' ? 'directory' : Number(field(output, 'links', '1')) > 1 ? 'hard' : 'file';
  const octal = parseInt(mode, 8).toString(8).padStart(3, '0');
  return { ...result, uid: Number(uid), gid: Number(gid), owner: field(output, 'owner'), group: field(output, 'group'), mode: `0${octal}`, state, size: Number(size) };
}

/** Python `re` syntax that JavaScript spells differently: named groups. */
function pythonRegex(pattern: string): RegExp {
  return new RegExp(pattern.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'), 'm');
}

/**
 * wait_for, polled from the controller: one round trip per check, `sleep` seconds apart,
 * until the state holds or `timeout` passes. Ports are probed with nc (or bash /dev/tcp);
 * state=drained and search_regex on a port are not supported.
 */
export const waitFor: ModuleDef = {
  name: 'wait_for',
  spec,
  supportsCheckMode: false,
  async run(args, ctx): Promise<ModuleResult> {
    const port = args.get('port') as number | null;
    const path = args.get('path') as string | null;
    const state = args.get('state') as string;
    const regexText = args.get('search_regex') as string | null;
    const msg = args.get('msg') as string | null;
    const fail = (text: string, elapsed: number): ModuleResult => ({ failed: true, msg: text, elapsed, changed: false });
    let regex: RegExp | null = null;
    try {
      regex = regexText === null ? null : pythonRegex(regexText);
    } catch (err) {
      return fail(`Invalid regular expression: ${(err as Error).message}`, 0);
    }
    if (port && path) return fail('port and path parameter can not both be passed to wait_for', 0);
    if (path && (state === 'stopped' || state === 'drained')) return fail(`state=${state} should only be used for checking a port in the wait_for module`, 0);
    if (args.get('exclude_hosts') !== null && state !== 'drained') return fail('exclude_hosts should only be with state=drained', 0);
    if (state === 'drained' || (port && regex)) return fail(`fleet's wait_for does not support ${state === 'drained' ? 'state=drained' : 'search_regex on a port'}`, 0);

    const start = Date.now();
    const elapsed = (): number => Math.floor((Date.now() - start) / 1000);
    const timeout = args.get('timeout') as number;
    await sleep((args.get('delay') as number) * 1000);
    const base = { state, port, search_regex: regexText, match_groups: [] as unknown[], match_groupdict: {} as Record<string, unknown>, path, changed: false };
    if (!port && !path) {
      await sleep(timeout * 1000);
      return { ...base, elapsed: elapsed() };
    }
    const wantGone = state === 'absent' || state === 'stopped';
    for (;;) {
      const output = await ctx.remote(probeScript(args, ctx));
      if (output.fields.has('no_tool')) return fail('neither nc nor bash is available on the host to probe the port', elapsed());
      const present = path ? output.fields.has('exists') : output.fields.has('open');
      const done = (extra: ModuleResult = {}): ModuleResult => {
        const result = { ...base, ...extra, elapsed: elapsed() };
        return path ? addPathInfo({ ...result, path: field(output, 'path') }, output) : result;
      };
      if (wantGone && !present) return done();
      if (!wantGone && present) {
        if (!regex) return done();
        const match = regex.exec(field(output, 'content'));
        if (match) return done({ match_groups: match.slice(1).map((g) => g ?? null), match_groupdict: { ...(match.groups ?? {}) } });
      }
      if (Date.now() - start >= timeout * 1000) {
        const where = path ?? `${String(args.get('host'))}:${port}`;
        if (wantGone) return fail(msg || (path ? `Timeout when waiting for ${path} to be absent.` : `Timeout when waiting for ${where} to stop.`), elapsed());
        if (regex) return fail(msg || `Timeout when waiting for search string ${regexText} in ${where}`, elapsed());
        return fail(msg || (path ? `Timeout when waiting for file ${path}` : `Timeout when waiting for ${where}`), elapsed());
      }
      await sleep((args.get('sleep') as number) * 1000);
    }
  },
};
