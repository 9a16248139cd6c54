import { Script, Secret, sh, type ShellValue } from '../../shell/script.js';
import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { addOutputLines } from './low-level.js';

// modules/user.py argument_spec (ssh key defaults as on Linux).
const spec: ArgSpec = {
  options: {
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    name: { type: 'str', required: true, aliases: ['user'] },
    uid: { type: 'int' },
    non_unique: { type: 'bool', default: false },
    group: { type: 'str' },
    groups: { type: 'list', elements: 'str' },
    comment: { type: 'str' },
    home: { type: 'path' },
    shell: { type: 'str' },
    password: { type: 'str', noLog: true },
    login_class: { type: 'str' },
    password_expire_max: { type: 'int' },
    password_expire_min: { type: 'int' },
    hidden: { type: 'bool' },
    seuser: { type: 'str' },
    force: { type: 'bool', default: false },
    remove: { type: 'bool', default: false },
    create_home: { type: 'bool', default: true, aliases: ['createhome'] },
    skeleton: { type: 'str' },
    system: { type: 'bool', default: false },
    move_home: { type: 'bool', default: false },
    append: { type: 'bool', default: false },
    generate_ssh_key: { type: 'bool' },
    ssh_key_bits: { type: 'int', default: 0 },
    ssh_key_type: { type: 'str', default: 'rsa' },
    ssh_key_file: { type: 'path' },
    ssh_key_comment: { type: 'str', default: 'ansible-generated on $HOSTNAME' },
    ssh_key_passphrase: { type: 'str', noLog: true },
    update_password: { type: 'str', default: 'always', choices: ['always', 'on_create'] },
    expires: { type: 'float' },
    password_lock: { type: 'bool' },
    local: { type: 'bool' },
    profile: { type: 'str' },
    authorization: { type: 'str' },
    role: { type: 'str' },
    umask: { type: 'str' },
  },
};

// Options fleet does not implement: refused before the host is touched, never ignored.
const UNSUPPORTED = [
  'login_class', 'password_expire_max', 'password_expire_min', 'hidden', 'seuser', 'skeleton', 'generate_ssh_key',
  'ssh_key_file', 'ssh_key_passphrase', 'expires', 'password_lock', 'local', 'profile', 'authorization', 'role', 'umask',
];

interface UserInfo {
  password: string;
  uid: number;
  gid: number;
  comment: string;
  home: string;
  shell: string;
  /** Supplementary groups (groups listing the user as a member). */
  groups: string[];
}

/** getent passwd/shadow/group of the user, and whether the named groups exist (with their gid). */
function readScript(name: string, groupNames: string[]): Script {
  return Script.join([
    sh`fleet_name=${name}`,
    Script.raw(`if fleet_pw=$(getent passwd "$fleet_name"); then
  fleet_emit passwd "$fleet_pw"
  fleet_emit shadow "$(getent shadow "$fleet_name" 2>/dev/null | cut -d: -f2)"
  fleet_emit member_of "$(getent group | awk -F: -v u="$fleet_name" '{ n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) print $1 }')"
fi
fleet_emit group_of_name "$(getent group "$fleet_name" | cut -d: -f3)"`),
    ...groupNames.map((group) => sh`fleet_emit group ${group}"=$(getent group ${group} | cut -d: -f1,3)"`),
  ]);
}

function parseInfo(passwd: string, shadow: string, memberOf: string): UserInfo {
  const [, , uid, gid, comment, home, shell] = passwd.split(':');
  return { password: shadow, uid: Number(uid), gid: Number(gid), comment: comment ?? '', home: home ?? '', shell: shell ?? '', groups: memberOf.split('\n').filter(Boolean) };
}

/** Runs a command line and reports rc/stdout/stderr; the password travels as a Secret. */
function runScript(argv: ShellValue[], after: Script = Script.raw(':')): Script {
  const words = Script.concat(argv.flatMap((arg, index) => [index > 0 ? ' ' : '', typeof arg === 'string' ? sh`${arg}` : arg instanceof Secret ? Script.concat([arg]) : sh`${String(arg)}`]));
  return Script.join([
    Script.raw('fleet_out=$(mktemp) && fleet_err=$(mktemp) || exit 1'),
    Script.concat([words, ' >"$fleet_out" 2>"$fleet_err"; fleet_emit rc "$?"']),
    Script.raw('fleet_emit_file stdout "$fleet_out"; fleet_emit_file stderr "$fleet_err"; rm -f "$fleet_out" "$fleet_err"'),
    after,
  ]);
}

interface Groups {
  /** name or gid → [name, gid] for every group mentioned in the task. */
  known: Map<string, [string, number]>;
}

function groupsArg(args: Args): string[] | null {
  const groups = args.get('groups') as string[] | null;
  return groups === null ? null : groups.map((g) => g.trim()).filter(Boolean);
}

/** user.py User.create_user_useradd (Linux). */
function createArgv(args: Args, groups: Groups, groupOfNameExists: boolean): ShellValue[] | string {
  const argv: ShellValue[] = ['useradd'];
  const str = (key: string): string | null => args.get(key) as string | null;
  if (args.get('uid') !== null) argv.push('-u', String(args.get('uid')), ...(args.get('non_unique') === true ? ['-o'] : []));
  const group = str('group');
  if (group !== null) {
    if (!groups.known.has(group)) return `Group ${group} does not exist`;
    argv.push('-g', group);
  } else if (groupOfNameExists) {
    argv.push('-N');
  }
  const wanted = groupsArg(args);
  if (wanted !== null && wanted.length > 0) {
    const missing = wanted.find((g) => !groups.known.has(g));
    if (missing) return `Group ${missing} does not exist`;
    argv.push('-G', wanted.map((g) => groups.known.get(g)![0]).join(','));
  }
  if (str('comment') !== null) argv.push('-c', str('comment')!);
  if (str('home') !== null) argv.push('-d', str('home')!);
  if (str('shell') !== null) argv.push('-s', str('shell')!);
  if (str('password') !== null) argv.push('-p', new Secret(str('password')!));
  argv.push(args.get('create_home') === true ? '-m' : '-M');
  if (args.get('system') === true) argv.push('-r');
  argv.push(args.get('name') as string);
  return argv;
}

/** user.py User.modify_user_usermod (Linux): only the differing fields; null when none. */
function modifyArgv(args: Args, info: UserInfo, groups: Groups): ShellValue[] | string | null {
  const argv: ShellValue[] = ['usermod'];
  const str = (key: string): string | null => args.get(key) as string | null;
  const uid = args.get('uid') as number | null;
  if (uid !== null && info.uid !== uid) argv.push('-u', String(uid), ...(args.get('non_unique') === true ? ['-o'] : []));
  const group = str('group');
  if (group !== null) {
    const found = groups.known.get(group);
    if (!found) return `Group ${group} does not exist`;
    if (info.gid !== found[1]) argv.push('-g', group);
  }
  const wanted = groupsArg(args);
  if (wanted !== null) {
    const missing = wanted.find((g) => !groups.known.has(g));
    if (missing) return `Group ${missing} does not exist`;
    const names = wanted.map((g) => groups.known.get(g)![0]);
    const current = new Set(info.groups);
    const diff = [...new Set([...names.filter((g) => !current.has(g)), ...info.groups.filter((g) => !names.includes(g))])];
    const append = args.get('append') === true;
    const needed = append ? names.some((g) => diff.includes(g)) : diff.length > 0;
    if (needed) argv.push(...(append ? ['-a'] : []), '-G', names.join(','));
  }
  if (str('comment') !== null && info.comment !== str('comment')) argv.push('-c', str('comment')!);
  if (str('home') !== null && info.home !== str('home')) argv.push('-d', str('home')!, ...(args.get('move_home') === true ? ['-m'] : []));
  if (str('shell') !== null && info.shell !== str('shell')) argv.push('-s', str('shell')!);
  const password = str('password');
  if (args.get('update_password') === 'always' && password !== null && info.password.replace(/^!+/, '') !== password.replace(/^!+/, '')) {
    argv.push('-p', new Secret(password));
  }
  if (argv.length === 1) return null;
  argv.push(args.get('name') as string);
  return argv;
}

// After a change: the user's final passwd line, and its home created if it is missing.
const AFTER = Script.raw(`if fleet_pw=$(getent passwd "$fleet_name"); then
  fleet_emit passwd_after "$fleet_pw"
fi`);

function ensureHome(check: boolean): Script {
  return Script.raw(`fleet_home=$(getent passwd "$fleet_name" | cut -d: -f6)
if [ -n "$fleet_home" ] && [ ! -e "$fleet_home" ] && [ "$fleet_create_home" = 1 ]; then
  fleet_emit home_created 1
  ${check ? ':' : `mkdir -p "$fleet_home" && cp -R /etc/skel/. "$fleet_home" 2>/dev/null; chown -R "$(getent passwd "$fleet_name" | cut -d: -f3,4)" "$fleet_home"; chmod 700 "$fleet_home"`}
fi`);
}

async function runUser(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const name = args.get('name') as string;
  const state = args.get('state') as string;
  const unsupported = UNSUPPORTED.filter((key) => args.get(key) !== null && args.get(key) !== undefined);
  if (unsupported.length > 0) return { failed: true, msg: `fleet's user module does not support: ${unsupported.join(', ')}` };
  if (ctx.userland.system !== 'Linux') return { failed: true, msg: `fleet's user module supports Linux hosts only (this host is ${ctx.userland.system})` };
  const mentioned = [...new Set([...(args.get('group') === null ? [] : [args.get('group') as string]), ...(groupsArg(args) ?? [])])];
  const read = await ctx.remote(readScript(name, mentioned), { readOnly: true });
  const known = new Map<string, [string, number]>();
  for (const line of read.fields.get('group') ?? []) {
    const [asked, found] = [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)];
    if (found) known.set(asked, [found.split(':')[0] as string, Number(found.split(':')[1])]);
  }
  const exists = read.fields.has('passwd');
  const info = exists ? parseInfo(field(read, 'passwd'), field(read, 'shadow'), field(read, 'member_of')) : null;
  const result: ModuleResult = { name, state };
  const nameVar = sh`fleet_name=${name} fleet_create_home=${args.get('create_home') === true ? '1' : '0'}`;
  let output = read;
  let rc: number | null = null;

  if (state === 'absent') {
    if (!exists) return { ...result, changed: false };
    if (ctx.check) return { changed: true };
    const argv: ShellValue[] = ['userdel', ...(args.get('force') === true ? ['-f'] : []), ...(args.get('remove') === true ? ['-r'] : []), name];
    output = await ctx.remote(Script.join([nameVar, runScript(argv)]));
    rc = Number(field(output, 'rc'));
    if (rc !== 0) return { name, failed: true, msg: field(output, 'stderr'), rc, changed: false };
    Object.assign(result, { force: args.get('force'), remove: args.get('remove') });
  } else {
    const argv = exists ? modifyArgv(args, info as UserInfo, { known }) : createArgv(args, { known }, field(read, 'group_of_name') !== '');
    if (typeof argv === 'string') return { failed: true, msg: argv, changed: false };
    if (!exists && ctx.check) return { changed: true };
    if (argv !== null && !ctx.check) {
      output = await ctx.remote(Script.join([nameVar, runScript(argv, Script.join([AFTER, ensureHome(false)]))]));
      rc = Number(field(output, 'rc'));
      if (rc !== 0) return { name, failed: true, msg: field(output, 'stderr'), rc, changed: false };
    } else {
      output = await ctx.remote(Script.join([nameVar, AFTER, ensureHome(ctx.check)]));
      if (argv !== null) rc = 0;
    }
    if (exists) Object.assign(result, { append: args.get('append'), move_home: args.get('move_home') });
    else Object.assign(result, { system: args.get('system'), create_home: args.get('create_home') });
    if (args.get('password') !== null) result.password = 'NOT_LOGGING_PASSWORD';
  }
  result.changed = rc !== null;
  if (field(output, 'stdout')) result.stdout = field(output, 'stdout');
  if (field(output, 'stderr')) result.stderr = field(output, 'stderr');
  if (state === 'present' && output.fields.has('passwd_after')) {
    const final = parseInfo(field(output, 'passwd_after'), '', '');
    Object.assign(result, { uid: final.uid, group: final.gid, comment: final.comment, home: final.home, shell: final.shell });
    if (args.get('groups') !== null) result.groups = (args.get('groups') as string[]).join(',');
    if (output.fields.has('home_created')) result.changed = true;
  }
  return result;
}

export const user: ModuleDef = {
  name: 'user',
  spec,
  supportsCheckMode: true,
  run: async (args, ctx) => addOutputLines(await runUser(args, ctx)),
};
