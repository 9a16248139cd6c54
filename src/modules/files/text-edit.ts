import { field } from '../remote.js';
import type { ModuleContext, RemoteOutput } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { attributeWantsScript, type AttributeWants } from './attributes.js';
import { putTemp, sha1Hex } from './content-write.js';
import { attributeDiff, scriptFailure } from './results.js';
import { filesLib } from './shell-lib.js';
import { validateStep } from './validate.js';

/**
 * Edit-in-place modules (lineinfile, blockinfile, replace) use Python `re` on the file's
 * lines, which POSIX awk/sed cannot reproduce, so fleet reads the file back, edits it on the
 * controller with a faithful implementation, and writes it in a second round trip only
 * when something changes. The write is guarded by the checksum that was read, so an edit
 * never overwrites a change made in between. The read also dry-runs owner/group/mode, so an
 * unchanged file with correct attributes costs exactly one round trip.
 */
export interface ReadFile {
  isDirectory: boolean;
  exists: boolean;
  text: string;
  sha1: string | null;
  /** The attribute changes a write-free run would make (check mode uses these). */
  attributesPending: boolean;
  attributeOutput: RemoteOutput;
}

export class EditError extends Error {
  constructor(readonly result: Record<string, unknown>) {
    super(String(result['msg']));
  }
}

/**
 * The read: content, then the attributes dry run. The host hashes the file only when asked
 * (`hashOnHost`): bytes that decode without a replacement character are valid UTF-8, whose
 * text hashes to the file's own SHA-1 here, so only a text holding U+FFFD (or a file the
 * user cannot read) needs the host's hash, to tell an invalid file from one that holds the
 * character itself.
 */
function readScript(path: string, attributes: AttributeWants, ctx: ModuleContext, hashOnHost: boolean, alongside: Script | undefined): Script {
  const hash = hashOnHost ? '; fleet_sha1 "$path"; fleet_emit sha1 "$fleet_sha1_hex"' : '; [ -r "$path" ] || fleet_emit unreadable 1';
  // The attributes need the file's lstat anyway: taken first, its size lets the shell read a
  // small file without a cat, and fa_fresh spares fleet_attrs a second stat.
  const content =
    attributes.owner !== null || attributes.group !== null || attributes.mode !== null
      ? 'if fleet_info -- "$path"; then fa_fresh=$path; fleet_emit_text content "$path" "$fi_size"; else fleet_emit_file content "$path"; fi'
      : 'fleet_emit_file content "$path"';
  return Script.join([
    filesLib(ctx.userland),
    attributeWantsScript(attributes),
    sh`path=${path}`,
    Script.raw(`if [ -d "$path" ]; then fleet_emit isdir 1
elif [ -e "$path" ]; then
  fleet_emit exists 1; ${content}${hash}
  fleet_check=1 fleet_changed=0; fleet_attrs "$path" 1; fleet_emit attrs_pending "$fleet_changed"
fi
true`),
    ...(alongside ? [alongside] : []),
  ]);
}

/** `alongside`: more read-only shell for the same round trip (its records come back in attributeOutput). */
export async function readForEdit(path: string, attributes: AttributeWants, ctx: ModuleContext, alongside?: Script): Promise<ReadFile> {
  let output = await ctx.remote(readScript(path, attributes, ctx, false, alongside), { readOnly: true });
  if (output.fields.has('unreadable') || field(output, 'content').includes('\uFFFD')) {
    output = await ctx.remote(readScript(path, attributes, ctx, true, alongside), { readOnly: true });
  }
  const failure = scriptFailure(output);
  if (failure) throw new EditError(failure);
  const exists = output.fields.has('exists');
  const text = field(output, 'content');
  const textSha1 = sha1Hex(Buffer.from(text, 'utf8'));
  const sha1 = exists ? field(output, 'sha1', textSha1) : null;
  if (exists && textSha1 !== sha1) {
    throw new EditError({ failed: true, changed: false, msg: `fleet can only edit UTF-8 text files: ${path} is not valid UTF-8` });
  }
  return { isDirectory: output.fields.has('isdir'), exists, text, sha1, attributesPending: field(output, 'attrs_pending') === '1', attributeOutput: output };
}

export interface EditWrite {
  path: string;
  /** What was read (null: the file did not exist); the write is refused if the file changed since. */
  readSha1: string | null;
  /** New content, or null to only bring the attributes in line. */
  content: string | null;
  createParents: boolean;
  backup: boolean;
  validate: string | null;
  attributes: AttributeWants;
  /**
   * Rename onto the path itself even when it is a link (atomic_move on the path as given,
   * which replaces the link), instead of writing into the link's target.
   */
  replaceLink?: boolean;
  /** Shell run once the checksum guard has passed, before the content is written. */
  prepare?: Script;
  /** Shell run after the write and the attributes (before reportPathInfo). */
  finish?: Script;
  /** Ends with the path's add_path_info records (a module whose result names `path`). */
  reportPathInfo?: boolean;
}

export interface EditOutcome {
  backupFile: string;
  attributesChanged: boolean;
  output: RemoteOutput;
  validateFailure: { rc: number; stdout: string; stderr: string } | null;
}

/** Writes edited content atomically (into the link's target, as atomic_move does) and applies attributes. */
export async function writeEdit(write: EditWrite, ctx: ModuleContext): Promise<EditOutcome> {
  const steps: Script[] = [
    filesLib(ctx.userland),
    attributeWantsScript(write.attributes),
    sh`path=${write.path} dest=${write.path} read_sha1=${write.readSha1 ?? 'absent'} fleet_check=0 fleet_changed=0`,
    Script.raw(`now_sha1=absent; if [ -e "$path" ]; then fleet_sha1 "$path"; now_sha1=$fleet_sha1_hex; fi
[ "$now_sha1" = "$read_sha1" ] || fleet_fail "$path changed while fleet was editing it; nothing was written"`),
  ];
  if (write.prepare) steps.push(write.prepare);
  if (write.content !== null) {
    if (write.createParents) {
      steps.push(Script.raw('case $path in */*) ed_dir=${path%/*}; if [ -n "$ed_dir" ] && ! [ -e "$ed_dir" ]; then mkdir -p -- "$ed_dir" || fleet_fail "Error creating $ed_dir"; fi ;; esac'));
    }
    if (write.backup) steps.push(Script.raw('if [ -e "$path" ]; then fleet_backup "$path"; fi'));
    if (write.replaceLink !== true) steps.push(Script.raw('if [ -L "$path" ]; then fleet_realpath "$path"; dest=$fleet_real; fi'));
    steps.push(putTemp(Buffer.from(write.content, 'utf8')));
    if (write.validate !== null) steps.push(validateStep(write.validate));
    steps.push(Script.raw('mv -f -- "$fleet_tmp" "$dest" || { rm -f -- "$fleet_tmp"; fleet_fail "failed to write $dest"; }'));
  }
  steps.push(Script.raw('fleet_changed=0; fleet_attrs "$path" 1; fleet_emit attrs_changed "$fleet_changed"'));
  if (write.finish) steps.push(write.finish);
  if (write.reportPathInfo === true) steps.push(Script.raw('fleet_path_info "$path"'));
  const output = await ctx.remote(Script.join(steps));
  if (output.fields.has('validate_rc')) {
    return {
      backupFile: field(output, 'backup_file'),
      attributesChanged: false,
      output,
      validateFailure: { rc: Number(field(output, 'validate_rc')), stdout: field(output, 'validate_stdout'), stderr: field(output, 'validate_stderr') },
    };
  }
  const failure = scriptFailure(output);
  if (failure) throw new EditError(failure);
  return { backupFile: field(output, 'backup_file'), attributesChanged: field(output, 'attrs_changed') === '1', output, validateFailure: null };
}

/** The `(file attributes)` entry of lineinfile/blockinfile/replace diffs. */
export function attributesDiffEntry(output: RemoteOutput, path: string): Record<string, unknown> {
  const { before, after } = attributeDiff(output, path);
  delete before['path'];
  delete after['path'];
  const entry: Record<string, unknown> = {};
  if (Object.keys(before).length > 0) Object.assign(entry, { before, after });
  return { ...entry, before_header: `${path} (file attributes)`, after_header: `${path} (file attributes)` };
}

/** Python's bytes.readlines(): split after every "\n", keeping it. */
export function readLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === '' ? [] : lines;
}

/** What Python's text-mode read (universal newlines) makes of the text: \r\n and \r become \n. */
export const universalNewlines = (text: string): string => text.replace(/\r\n?/g, '\n');
