import { field } from '../remote.js';
import type { ModuleContext, ModuleResult } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { attributeWantsScript, type AttributeWants } from './attributes.js';
import { delimiterBytes } from './assemble-fragments.js';
import { digestFunction } from './digest.js';
import { asResult, pathInfo, scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';
import { validateCommand } from './validate.js';

/** The assemble module's own work on the host (lib/ansible/modules/assemble.py main). */
export interface HostAssembly {
  src: string;
  dest: string;
  /** Fragment names in order, already filtered by regexp and ignore_hidden. */
  names: string[];
  delimiters: Buffer[];
  backup: boolean;
  validate: string | null;
  attributes: AttributeWants;
}

/** The entries of the source directory, after the module's existence checks: one round trip. */
export async function listSourceDirectory(src: string, ctx: ModuleContext): Promise<string[] | ModuleResult> {
  const output = await ctx.remote(
    Script.join([
      filesLib(ctx.userland),
      sh`src=${src}`,
      Script.raw(`[ -e "$src" ] || fleet_fail "Source ($src) does not exist"
[ -d "$src" ] || fleet_fail "Source ($src) is not a directory"
for as_entry in "$src"/* "$src"/.[!.]* "$src"/..?*; do
  if [ -e "$as_entry" ] || [ -L "$as_entry" ]; then fleet_emit name "\${as_entry##*/}"; fi
done`),
    ]),
  );
  return scriptFailure(output) ?? output.fields.get('name') ?? [];
}

/** printf format text that writes exactly these bytes (octal escapes only, so nothing needs quoting). */
function printfBytes(bytes: Buffer): string {
  return [...bytes].map((byte) => `\\${byte.toString(8).padStart(3, '0')}`).join('');
}

/** A `case` on the fragment count that prints the delimiter due before that fragment. */
function delimiterStep(delimiters: readonly Buffer[]): Script {
  if (delimiters.length === 0) return Script.raw('    :');
  const arms = delimiters.map((_, index) => {
    const bytes = delimiterBytes(delimiters, index + 1, false);
    const pattern = index === delimiters.length - 1 ? '*' : String(index + 2);
    return `      ${pattern}) printf '${printfBytes(bytes)}' ;;`;
  });
  return Script.raw(`    case $as_count in\n      1) ;;\n${arms.join('\n')}\n    esac`);
}

function validateStep(validate: string | null): Script {
  if (validate === null) return Script.raw('  :');
  return Script.join([
    Script.raw('  if ! { as_out=$(mktemp) && as_err=$(mktemp); }; then rm -f -- "$fleet_tmp"; fleet_fail "could not create temp files for validate"; fi'),
    Script.concat([Script.raw('  '), validateCommand(validate, 'fleet_tmp'), Script.raw(' >"$as_out" 2>"$as_err"; as_rc=$?')]),
    Script.raw(`  fleet_emit validate_rc "$as_rc"; fleet_emit_file validate_stdout "$as_out"; fleet_emit_file validate_stderr "$as_err"
  rm -f -- "$as_out" "$as_err"
  if [ "$as_rc" -ne 0 ]; then rm -f -- "$fleet_tmp"; fleet_emit validate_failed 1; exit 0; fi`),
  ]);
}

function assembleScript(job: HostAssembly, ctx: ModuleContext): Script {
  return Script.join([
    filesLib(ctx.userland),
    digestFunction(),
    attributeWantsScript(job.attributes),
    sh`src=${job.src} dest=${job.dest} fleet_changed=0`,
    Script.concat([Script.raw('set --'), ...job.names.map((name) => sh` ${name}`)]),
    Script.raw(`case $dest in */*) as_dir=\${dest%/*}; [ -n "$as_dir" ] || as_dir=/ ;; *) as_dir=. ;; esac
[ -d "$as_dir" ] || fleet_fail "Destination directory $as_dir does not exist"
fleet_tmp_beside "$dest" || fleet_fail "could not create a temp file in $as_dir"
as_count=0 as_newline=0 as_failed=0 as_nl='
'
{
  for as_name in "$@"; do
    as_file=$src/$as_name
    [ -f "$as_file" ] || continue
    if [ "$as_newline" = 1 ]; then printf '\\n'; fi
    as_count=$((as_count + 1))`),
    delimiterStep(job.delimiters),
    Script.raw(`    cat -- "$as_file" || as_failed=1
    as_last=$(tail -c 1 -- "$as_file"; printf x); as_last=\${as_last%x}
    if [ "$as_last" = "$as_nl" ]; then as_newline=0; else as_newline=1; fi
  done
} >"$fleet_tmp" || as_failed=1
if [ "$as_failed" = 1 ]; then rm -f -- "$fleet_tmp"; fleet_fail "could not assemble $src into $dest"; fi
fleet_sha1 "$fleet_tmp"; as_sum=$fleet_sha1_hex
fleet_emit checksum "$as_sum"; fleet_digest md5 "$fleet_tmp"; fleet_emit md5sum "$fleet_digest_hex"
as_dest_sum=absent
if [ -e "$dest" ]; then
  if [ -d "$dest" ]; then rm -f -- "$fleet_tmp"; fleet_fail "attempted to take checksum of directory: $dest"; fi
  fleet_sha1 "$dest"; as_dest_sum=$fleet_sha1_hex
fi
if [ "$as_sum" != "$as_dest_sum" ]; then`),
    validateStep(job.validate),
    Script.raw(job.backup ? '  if [ "$as_dest_sum" != absent ]; then fleet_backup "$dest"; fi' : '  :'),
    Script.raw(`  fleet_tmp_like "$dest" || fleet_fail "could not set the permissions of the temp file for $dest"
  mv -f -- "$fleet_tmp" "$dest" || { rm -f -- "$fleet_tmp"; fleet_fail "could not replace $dest"; }
  fleet_changed=1
else
  rm -f -- "$fleet_tmp"
fi
fleet_attrs "$dest" 0
fleet_emit changed "$fleet_changed"
fleet_path_info "$dest"`),
  ]);
}

/** Assembles on the host and reports as the module does (src, dest, checksum, md5sum, msg "OK"…). */
export async function assembleOnHost(job: HostAssembly, ctx: ModuleContext): Promise<ModuleResult> {
  const output = await ctx.remote(assembleScript(job, ctx));
  if (output.fields.has('validate_failed')) {
    return { failed: true, changed: false, msg: `failed to validate: rc:${field(output, 'validate_rc')} error:${field(output, 'validate_stderr')}` };
  }
  const failure = scriptFailure(output);
  if (failure) return failure;
  const result: Record<string, unknown> = {
    src: job.src,
    dest: job.dest,
    checksum: field(output, 'checksum'),
    md5sum: field(output, 'md5sum'),
    changed: field(output, 'changed') === '1',
    msg: 'OK',
    ...pathInfo(output),
  };
  if (output.fields.has('validate_rc')) {
    result['validation'] = { rc: Number(field(output, 'validate_rc')), stdout: field(output, 'validate_stdout'), stderr: field(output, 'validate_stderr') };
  }
  if (output.fields.has('backup_file')) result['backup_file'] = field(output, 'backup_file');
  return asResult(result);
}
