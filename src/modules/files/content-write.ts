import { createHash } from 'node:crypto';
import { field } from '../remote.js';
import type { DiffEntry, ModuleContext, ModuleResult, RemoteOutput } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { attributeWantsScript, type AttributeWants } from './attributes.js';
import { attributeDiff, asResult, pathInfo, scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';
import { validateStep } from './validate.js';

/** Puts whole-file content at `dest` the way the copy action and module do together. */
export interface ContentWrite {
  dest: string;
  content: Buffer;
  /** When dest is a directory: the file name to write inside it, or null to fail as copy does for `content`. */
  basenameInDirectory: string | null;
  force: boolean;
  /** The task's `follow` (copy's default is false). */
  follow: boolean;
  backup: boolean;
  validate: string | null;
  attributes: AttributeWants;
  /** The `after_header` of the diff (the source file), when there is one worth showing. */
  afterHeader: string | null;
  /**
   * A directory copy's files: missing parent directories are created, each given these
   * attributes (copy's directory_mode, owner, group), as the copy module does for a dest
   * ending in `/`. Absent: a missing parent directory is an error.
   */
  parentDirectories?: AttributeWants;
}

const MAX_DIFF_SIZE = 104448;

export function sha1Hex(content: Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

/**
 * Writes `content` into a temp file beside `$dest` (fleet_tmp). A here-document, not a pipe,
 * so the function runs in this shell and its variables survive; base64 never contains the
 * delimiter.
 */
export function putTemp(content: Buffer): Script {
  const encoded = content.toString('base64').replace(/.{1,76}/g, '$&\n');
  return Script.raw(`  fleet_put_tmp "$dest" <<'FLEET_CONTENT_END' || fleet_fail "failed to copy to $dest\${fleet_put_error:+: $fleet_put_error}"\n${encoded}FLEET_CONTENT_END`);
}

/**
 * Small text is compared by the shell (fleet_same_text) rather than hashed: a fork less. The
 * shell reads a byte per system call, which costs about what a fork and exec of sha1sum do
 * at 2 KiB; below half that the read is clearly cheaper.
 */
const SAME_TEXT_MAX_BYTES = 1024;

/**
 * Sets fw_current to the wanted SHA-1 when the file (already stat'ed: fs_info, fi_size) holds
 * exactly the content. Only for small text the script can carry as a shell word: no NUL, and
 * valid UTF-8 so the script's text keeps its bytes.
 */
function sameTextStep(content: Buffer, wantSha1: string): Script {
  const text = content.toString('utf8');
  if (content.length > SAME_TEXT_MAX_BYTES || content.includes(0) || !Buffer.from(text, 'utf8').equals(content)) return Script.raw('  :');
  return sh`  if [ "$fs_info" = "$dest" ] && [ "$fi_size" = ${String(content.length)} ] && fleet_same_text "$dest" ${text}; then fw_current=${wantSha1}; fi`;
}

function parentsStep(write: ContentWrite): Script {
  if (!write.parentDirectories) return Script.raw('  [ -d "$fw_dir" ] || fleet_fail "Destination directory $fw_dir does not exist"');
  // The directories' wants replace the file's while they are made, then the file's return.
  return Script.join([
    Script.raw('  if ! [ -d "$fw_dir" ]; then'),
    attributeWantsScript(write.parentDirectories),
    Script.raw('  fleet_makedirs "$fw_dir" || fleet_fail "could not create directory $fw_dir"'),
    attributeWantsScript(write.attributes),
    Script.raw('  fi'),
  ]);
}

function contentWriteScript(write: ContentWrite, ctx: ModuleContext): Script {
  const wantSha1 = sha1Hex(write.content);
  const flags = sh`fleet_check=${ctx.check ? '1' : '0'} fleet_diff=${ctx.diff ? '1' : '0'} fleet_changed=0 dest=${write.dest}`;
  const intoDirectory =
    write.basenameInDirectory === null
      ? Script.raw('if [ -d "$dest" ]; then fleet_fail "can not use content with a dir as dest"; fi')
      : sh`if [ -d "$dest" ]; then dest=$dest/${write.basenameInDirectory}; fi`;
  const followLink = write.follow ? 'if [ -L "$dest" ] && [ -e "$dest" ]; then fleet_realpath "$dest"; dest=$fleet_real; fi' : ':';
  const keepExisting = write.force ? ':' : 'if [ -e "$dest" ] || [ -L "$dest" ]; then fleet_emit outcome kept; fleet_emit dest "$dest"; exit 0; fi';
  const backup = write.backup ? 'if [ -e "$dest" ]; then fleet_backup "$dest"; fi' : ':';
  return Script.join([
    filesLib(ctx.userland),
    attributeWantsScript(write.attributes),
    flags,
    intoDirectory,
    Script.raw(followLink),
    Script.raw(keepExisting),
    // The file's stat (fleet_state) comes first: a size that differs settles it without
    // hashing, and an unchanged file's attributes are checked against that same stat.
    Script.raw('fw_current=; if [ -f "$dest" ] && ! [ -L "$dest" ]; then'),
    Script.raw('  fleet_state "$dest"'),
    sameTextStep(write.content, wantSha1),
    sh`  if [ -z "$fw_current" ] && { [ "$fs_info" != "$dest" ] || [ "$fi_size" = ${String(write.content.length)} ]; }; then fleet_sha1 "$dest"; fw_current=$fleet_sha1_hex; fi`,
    Script.raw('fi'),
    sh`if [ "$fw_current" = ${wantSha1} ]; then`,
    Script.raw(`  fleet_emit outcome same
  case $fs_state in file|hard) ;; *) fleet_emit path "$dest"; fleet_emit state "$fs_state"; fleet_fail "file ($dest) is $fs_state, cannot continue" ;; esac
  fa_fresh=$fs_info; fleet_attrs "$dest" 1
else
  fleet_emit outcome write
  if [ "$fleet_diff" = 1 ]; then fleet_diff_before "$dest"; fi
  if [ "$fleet_check" = 1 ]; then fleet_emit changed 1; fleet_emit dest "$dest"; exit 0; fi
  case $dest in */*) fw_dir=\${dest%/*}; [ -n "$fw_dir" ] || fw_dir=/ ;; *) fw_dir=. ;; esac`),
    parentsStep(write),
    Script.raw(`  [ -w "$fw_dir" ] || fleet_fail "Destination $fw_dir not writable"
  ${backup}`),
    ctx.check ? Script.raw('  :') : putTemp(write.content),
    write.validate === null ? Script.raw('  :') : Script.concat([Script.raw('  fleet_attrs "$fleet_tmp" 0\n'), validateStep(write.validate)]),
    // Ansible reports the uploaded file as `src`; fleet's upload is this temp file.
    Script.raw(`  case $fleet_tmp in /*) fleet_emit src "$fleet_tmp" ;; *) fleet_emit src "$PWD/\${fleet_tmp#./}" ;; esac
  mv -f -- "$fleet_tmp" "$dest" || { rm -f -- "$fleet_tmp"; fleet_fail "failed to copy to $dest"; }
  fleet_changed=1
  fleet_attrs "$dest" 0
fi
fleet_emit changed "$fleet_changed"
fleet_emit dest "$dest"
fleet_path_info "$dest"`),
  ]);
}

function diffEntry(output: RemoteOutput, write: ContentWrite): DiffEntry {
  const entry: Record<string, unknown> = {};
  if (output.fields.has('diff_before_absent')) entry['before'] = '';
  else if (output.fields.has('diff_dst_binary')) entry['dst_binary'] = 1;
  else if (output.fields.has('diff_dst_larger')) entry['dst_larger'] = MAX_DIFF_SIZE;
  else {
    entry['before_header'] = field(output, 'dest');
    entry['before'] = field(output, 'diff_before');
  }
  if (write.content.length > MAX_DIFF_SIZE) entry['src_larger'] = MAX_DIFF_SIZE;
  else if (write.content.includes(0)) entry['src_binary'] = 1;
  else {
    if (write.afterHeader !== null) entry['after_header'] = write.afterHeader;
    entry['after'] = write.content.toString('utf8');
  }
  return entry as unknown as DiffEntry;
}

/** Runs the write and shapes the result like Ansible's copy action (copy module, file module or check-mode answer). */
export async function writeContent(write: ContentWrite, ctx: ModuleContext): Promise<ModuleResult> {
  return (await writeContentOutcome(write, ctx)).result;
}

/** The same, telling apart a file left alone because `force: no` found one there (`kept`). */
export async function writeContentOutcome(write: ContentWrite, ctx: ModuleContext): Promise<{ kept: boolean; result: ModuleResult }> {
  const output = await ctx.remote(contentWriteScript(write, ctx));
  return { kept: field(output, 'outcome') === 'kept' && scriptFailure(output) === null, result: contentResult(output, write, ctx) };
}

function contentResult(output: RemoteOutput, write: ContentWrite, ctx: ModuleContext): ModuleResult {
  const outcome = field(output, 'outcome');
  const checksum = sha1Hex(write.content);
  const failure = scriptFailure(output);
  if (failure) {
    // The copy action starts every file's result with `diff: []`.
    const extra: Record<string, unknown> = { diff: outcome === 'write' && ctx.diff ? [diffEntry(output, write)] : [] };
    // the copy action adds the local checksum to whatever module it ran, copy or file
    if (outcome === 'write' || outcome === 'same') extra['checksum'] = checksum;
    if (output.fields.has('validate_rc')) {
      const stdout = field(output, 'validate_stdout');
      const stderr = field(output, 'validate_stderr');
      Object.assign(extra, { exit_status: Number(field(output, 'validate_rc')), stdout, stdout_lines: lines(stdout), stderr, stderr_lines: lines(stderr) });
    }
    if (output.fields.has('state')) Object.assign(extra, { path: field(output, 'path'), state: field(output, 'state') });
    return asResult({ ...extra, ...failure });
  }
  const dest = field(output, 'dest');
  const changed = field(output, 'changed') === '1';
  if (outcome === 'kept') return asResult({ changed: false, dest });
  if (outcome === 'same') {
    return asResult({ changed, diff: attributeDiff(output, dest), path: dest, ...pathInfo(output), dest, checksum });
  }
  const diff = ctx.diff ? [diffEntry(output, write)] : [];
  if (ctx.check) return asResult({ changed: true, diff });
  const result: Record<string, unknown> = {
    changed,
    diff,
    dest,
    md5sum: createHash('md5').update(write.content).digest('hex'),
    checksum,
    ...pathInfo(output),
  };
  if (output.fields.has('backup_file')) result['backup_file'] = field(output, 'backup_file');
  if (output.fields.has('src')) result['src'] = field(output, 'src');
  return asResult(result);
}

/** Python's str.splitlines() for command output. */
export function lines(text: string): string[] {
  return text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/).filter((_, index, all) => index < all.length - 1 || all[index] !== '');
}
