import { field } from '../remote.js';
import type { Args, ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';
import { PyFloat } from '../../template/values.js';
import { DIGEST_ALGORITHMS, digestFunction } from './digest.js';
import { expandUser } from './paths.js';
import { scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';

/** lib/ansible/modules/stat.py's argument_spec. */
const spec: ArgSpec = {
  options: {
    path: { type: 'path', required: true, aliases: ['dest', 'name'] },
    follow: { type: 'bool', default: false },
    get_md5: { type: 'bool', default: false },
    get_checksum: { type: 'bool', default: true },
    get_mime: { type: 'bool', default: true, aliases: ['mime', 'mime_type', 'mime-type'] },
    get_attributes: { type: 'bool', default: true, aliases: ['attr', 'attributes'] },
    checksum_algorithm: { type: 'str', default: 'sha1', choices: DIGEST_ALGORITHMS, aliases: ['checksum', 'checksum_algo'] },
  },
};

// lsattr flag letters and the names Ansible's format_attributes gives them (module_utils/basic.py).
const FILE_ATTRIBUTES: Record<string, string> = {
  A: 'noatime', a: 'append', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted',
  h: 'blocksize', i: 'immutable', I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous',
  t: 'notail', T: 'blockroot', u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
};

/** One `stat` call's fields, in the order each userland's format prints them (names last). */
export const GNU_FORMAT = '%f %u %g %s %i %d %h %.9X %.9Y %.9Z %b %o %t %T %U %G';
export const BSD_FORMAT = '%p %u %g %z %i %d %l %a %m %c %b %k %r %f %v %B %Su %Sg';

function statScript(args: Args, ctx: ModuleContext): Script {
  const follow = args.get('follow') === true;
  const format = ctx.userland.stat === 'gnu' ? sh`-c ${GNU_FORMAT}` : sh`-f ${BSD_FORMAT}`;
  return Script.join([
    filesLib(ctx.userland),
    digestFunction(),
    sh`path=${expandUser(args.get('path') as string, ctx)} algo=${args.get('checksum_algorithm') as string}`,
    sh`get_md5=${args.get('get_md5') ? '1' : '0'} get_checksum=${args.get('get_checksum') ? '1' : '0'} get_mime=${args.get('get_mime') ? '1' : '0'} get_attr=${args.get('get_attributes') ? '1' : '0'}`,
    // os.stat's OSError: only ENOENT means absent; any other errno fails with its strerror,
    // the end of stat's message in the C locale ("Permission denied", "Not a directory")
    Script.concat([Script.raw(`st_line=$(LC_ALL=C stat ${follow ? '-L ' : ''}`), format, Script.raw(` -- "$path" 2>&1) || case $st_line in
  *': No such file or directory') fleet_emit exists 0; exit 0 ;;
  *) fleet_fail "\${st_line##*: }" ;;
esac`)]),
    Script.raw(`fleet_emit st "$st_line"
[ -r "$path" ] && fleet_emit readable 1
[ -w "$path" ] && fleet_emit writeable 1
[ -x "$path" ] && fleet_emit executable 1
if ${follow ? 'false' : '[ -L "$path" ]'}; then
  fleet_realpath "$path"; fleet_emit lnk_source "$fleet_real"
  st_target=$(readlink -- "$path"; printf x); fleet_emit lnk_target "\${st_target%?x}"
fi
if [ -f "$path" ] && { ${follow ? 'true' : '! [ -L "$path" ]'}; } && [ -r "$path" ]; then
  [ "$get_md5" = 0 ] || { fleet_digest md5 "$path"; fleet_emit md5 "$fleet_digest_hex"; }
  [ "$get_checksum" = 0 ] || { fleet_digest "$algo" "$path"; fleet_emit checksum "$fleet_digest_hex"; }
fi
if [ "$get_mime" = 1 ] && command -v file >/dev/null 2>&1; then
  st_mime=$(file -b --mime-type --mime-encoding -- "$path" 2>/dev/null) && fleet_emit mime "$st_mime"
fi
if [ "$get_attr" = 1 ] && command -v lsattr >/dev/null 2>&1; then
  st_attr=$(lsattr -vd -- "$path" 2>/dev/null) && fleet_emit lsattr "$st_attr"
fi
true`),
  ]);
}

export const TYPE_BITS = { isdir: 0o040000, ischr: 0o020000, isblk: 0o060000, isreg: 0o100000, isfifo: 0o010000, islnk: 0o120000, issock: 0o140000 };
export const PERM_BITS: [string, number][] = [
  ['wusr', 0o200], ['rusr', 0o400], ['xusr', 0o100], ['wgrp', 0o020], ['rgrp', 0o040], ['xgrp', 0o010],
  ['woth', 0o002], ['roth', 0o004], ['xoth', 0o001], ['isuid', 0o4000], ['isgid', 0o2000],
];

/** Python's st_atime etc.: `sec + nsec * 1e-9` as a float. */
function pyTime(text: string): PyFloat {
  const [sec, frac = ''] = text.split('.');
  return new PyFloat(Number(sec) + Number(frac.padEnd(9, '0').slice(0, 9)) * 1e-9);
}

/** glibc's makedev, which is what Python reports as st_rdev on Linux. */
function makedev(major: number, minor: number): number {
  const ma = BigInt(major);
  const mi = BigInt(minor);
  return Number(((ma & 0xfffff000n) << 32n) | ((ma & 0xfffn) << 8n) | ((mi & 0xffffff00n) << 12n) | (mi & 0xffn));
}

export function parseStatLine(line: string, userland: Userland) {
  const parts = line.split(' ');
  const num = (index: number) => Number(parts[index]);
  if (userland.stat === 'gnu') {
    return {
      mode: parseInt(parts[0] ?? '0', 16), uid: num(1), gid: num(2), size: num(3), inode: num(4), dev: num(5), nlink: num(6),
      atime: pyTime(parts[7] ?? '0'), mtime: pyTime(parts[8] ?? '0'), ctime: pyTime(parts[9] ?? '0'),
      extra: { blocks: num(10), block_size: num(11), device_type: makedev(parseInt(parts[12] ?? '0', 16), parseInt(parts[13] ?? '0', 16)) } as Record<string, unknown>,
      owner: parts[14] ?? '', group: parts.slice(15).join(' '),
    };
  }
  return {
    mode: parseInt(parts[0] ?? '0', 8), uid: num(1), gid: num(2), size: num(3), inode: num(4), dev: num(5), nlink: num(6),
    atime: new PyFloat(num(7)), mtime: new PyFloat(num(8)), ctime: new PyFloat(num(9)),
    extra: { blocks: num(10), block_size: num(11), device_type: num(12), flags: num(13), generation: num(14), birthtime: new PyFloat(num(15)) } as Record<string, unknown>,
    owner: parts[16] ?? '', group: parts.slice(17).join(' '),
  };
}

function statOutput(output: RemoteOutput, path: string, userland: Userland): Record<string, unknown> {
  const st = parseStatLine(field(output, 'st'), userland);
  const stat: Record<string, unknown> = { exists: true, path, mode: (st.mode & 0o7777).toString(8).padStart(4, '0') };
  for (const [name, bits] of Object.entries(TYPE_BITS)) stat[name] = (st.mode & 0o170000) === bits;
  Object.assign(stat, { uid: st.uid, gid: st.gid, size: st.size, inode: st.inode, dev: st.dev, nlink: st.nlink, atime: st.atime, mtime: st.mtime, ctime: st.ctime });
  for (const [name, bit] of PERM_BITS) stat[name] = (st.mode & bit) !== 0;
  Object.assign(stat, st.extra);
  for (const key of ['readable', 'writeable', 'executable']) stat[key] = output.fields.has(key);
  if (stat['islnk']) {
    stat['lnk_source'] = field(output, 'lnk_source');
    stat['lnk_target'] = field(output, 'lnk_target');
  }
  if (st.owner !== '' && st.owner !== 'UNKNOWN') stat['pw_name'] = st.owner;
  if (st.group !== '' && st.group !== 'UNKNOWN') stat['gr_name'] = st.group;
  if (output.fields.has('md5')) stat['md5'] = field(output, 'md5');
  if (output.fields.has('checksum')) stat['checksum'] = field(output, 'checksum');
  return stat;
}

function mimeAndAttributes(output: RemoteOutput, args: Args): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (args.get('get_mime')) {
    out['mimetype'] = out['charset'] = 'unknown';
    const mime = field(output, 'mime');
    const [type, charset] = mime.split(';');
    if (type !== undefined && charset !== undefined && charset.includes('=')) {
      out['mimetype'] = type.trim();
      out['charset'] = (charset.split('=')[1] ?? '').trim();
    }
  }
  if (args.get('get_attributes')) {
    Object.assign(out, { version: null, attributes: [], attr_flags: '' });
    if (output.fields.has('lsattr')) {
      const [version = '', flags = ''] = field(output, 'lsattr').split(/\s+/);
      const attrFlags = flags.replace(/-/g, '').trim();
      Object.assign(out, { version: version.trim(), attr_flags: attrFlags, attributes: [...attrFlags].flatMap((flag) => FILE_ATTRIBUTES[flag] ?? []) });
    }
  }
  return out;
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const output = await ctx.remote(statScript(args, ctx));
  const failure = scriptFailure(output);
  if (failure) return failure;
  if (field(output, 'exists') === '0') return { changed: false, stat: { exists: false } };
  const path = expandUser(args.get('path') as string, ctx);
  return { changed: false, stat: { ...statOutput(output, path, ctx.userland), ...mimeAndAttributes(output, args) } };
}

export const statModule: ModuleDef = { name: 'stat', spec, supportsCheckMode: true, oneScript: true, asyncJob: true, run };
