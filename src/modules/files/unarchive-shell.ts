import { sh, Script } from '../../shell/script.js';
import type { ModuleContext } from '../types.js';
import { attributeWantsScript, type AttributeWants } from './attributes.js';
import { filesLib } from './shell-lib.js';
import { shellQuote } from '../../template/filters/encoding.js';
import { BIN_PATH } from '../system/bin-path.js';
import { PARSABLE_LOCALE } from '../system/parsable-locale.js';
import { zipLibrary, zipTaskScript } from './unarchive-zip-shell.js';

/** What the unarchive script needs: the action's checks, the upload, then the module's zip or tar steps. */
export interface UnarchivePlan {
  dest: string;
  /** The archive on the host (remote_src), or null when `upload` carries it there. */
  remoteSrc: string | null;
  upload: Buffer | null;
  /** The action's failure to find the controller's file, reported after `creates` is looked at. */
  missingSource: string | null;
  creates: string | null;
  extraOpts: readonly string[];
  excludes: readonly string[];
  includes: readonly string[];
  owner: string | null;
  group: string | null;
  hasMode: boolean;
  keepNewer: boolean;
  /** The excludes as given: ZipArchive keeps the trailing `/` TgzArchive strips (`excludes`). */
  givenExcludes: readonly string[];
}

/** The handlers TgzArchive and its subclasses stand for, in pick_handler's order, by tar's compression flag. */
export const TAR_HANDLERS: readonly { flag: string; name: string }[] = [
  { flag: '-z', name: 'TgzArchive' },
  { flag: '', name: 'TarArchive' },
  { flag: '-j', name: 'TarBzipArchive' },
  { flag: '-J', name: 'TarXzArchive' },
  { flag: '--use-compress-program=zstd', name: 'TarZstdArchive' },
];

function words(values: readonly string[]): Script {
  return Script.join(values.map((value) => sh`${value}`), ' ');
}

/** `set -- "$@" WORDS` when there are words, else nothing. */
function appendArgs(values: readonly string[]): Script {
  return values.length === 0 ? Script.raw(':') : Script.concat([Script.raw('set -- "$@" '), words(values)]);
}

/**
 * ua_tar OP FLAG: tar with the argv TgzArchive builds for OP (--list, --diff, --extract), run
 * in dest with the parsable locale (fleet_locale); stdout and stderr into $ua_tmp/out and $ua_tmp/err, the exit
 * status in ua_rc; an extraction's argv is reported (extract_cmd) for the result's `cmd`.
 */
function tarFunction(plan: UnarchivePlan): Script {
  const options = plan.extraOpts.length > 0 ? ['--show-transformed-names', ...plan.extraOpts] : [];
  // TgzArchive shlex-quotes these although no shell reads them: a name needing quotes reaches tar quoted.
  const changing: string[] = [];
  if (plan.owner) changing.push(`--owner=${shellQuote(plan.owner)}`);
  if (plan.group) changing.push(`--group=${shellQuote(plan.group)}`);
  if (plan.keepNewer) changing.push('--keep-newer-files');
  const excludes = plan.excludes.map((pattern) => `--exclude=${pattern}`);
  return Script.join([
    Script.raw('ua_tar() {\n  ua_op=$1\n  set -- "$ua_tar_path" "$1" -C "$ua_dest" "$2"\n  if [ -z "$5" ]; then set -- "$1" "$2" "$3" "$4"; fi'),
    Script.concat([Script.raw('  '), appendArgs(options)]),
    Script.concat([Script.raw('  if [ "$ua_op" != --list ]; then '), appendArgs(changing), Script.raw('; fi')]),
    Script.concat([Script.raw('  '), appendArgs(excludes)]),
    Script.raw('  set -- "$@" -f "$ua_src"'),
    Script.concat([Script.raw('  '), appendArgs(plan.includes)]),
    Script.raw(`  ua_rc=0
  (cd -- "$ua_dest" && LANG=$fleet_locale LC_ALL=$fleet_locale LC_MESSAGES=$fleet_locale LANGUAGE=$fleet_locale exec "$@") >"$ua_tmp/out" 2>"$ua_tmp/err" || ua_rc=$?
  if [ "$ua_op" = --extract ]; then for ua_arg in "$@"; do fleet_emit extract_cmd "$ua_arg"; done; fi
}`),
  ]);
}

/** The upload into the script's temp directory, as the action's _transfer_file puts `source` in its tmpdir. */
function uploadStep(upload: Buffer | null): Script {
  if (upload === null) return Script.raw(':');
  const encoded = upload.toString('base64').replace(/.{1,76}/g, '$&\n');
  return Script.raw(`ua_src=$ua_tmp/source
fleet_b64d >"$ua_src" <<'FLEET_ARCHIVE_END' || ua_fail "Source '$ua_src' failed to transfer"
${encoded}FLEET_ARCHIVE_END`);
}

/**
 * ZipArchive or ZipZArchive when pick_handler finds unzip reads the archive: is_unarchived
 * (in check mode the answer is all: nothing is extracted), else `unzip -o`; then the archive's
 * names (files_in_archive) and dest's path info.
 */
function zipStep(plan: UnarchivePlan): Script {
  return Script.join([
    Script.raw(`ua_handler=''
ua_keep_newer=${plan.keepNewer ? '1' : '0'}
ua_zip_probe
if [ -n "$ua_handler" ]; then`),
    zipTaskScript({ extraOpts: plan.extraOpts, excludes: plan.givenExcludes, includes: plan.includes }),
    Script.raw(`  if [ "$ua_zip_unarchived" = 1 ]; then fleet_emit outcome unarchived
  elif [ "$fleet_check" = 1 ]; then fleet_emit outcome would_extract
  else
    ua_unzip_extract
    fleet_emit extract_rc "$ua_rc"; fleet_emit_file extract_out "$ua_tmp/out"; fleet_emit_file extract_err "$ua_tmp/err"
    if [ "$ua_rc" != 0 ]; then fleet_emit outcome unpack_failed; fleet_path_info "$ua_dest"; ua_exit; fi
    fleet_emit outcome extracted
  fi
  "$ua_unzip" -Z1 "$ua_src" >"$ua_tmp/out" 2>/dev/null
  fleet_emit_file files "$ua_tmp/out"
  fleet_path_info "$ua_dest"
  ua_exit
fi`),
  ]);
}

/**
 * One round trip for the unarchive action and module (plugins/action/unarchive.py,
 * modules/unarchive.py): the action's `creates` and dest checks, the upload, the module's
 * source checks, pick_handler's zip probe (zipStep) and tar probes (`tar --list` with each
 * compression flag), the `tar --diff` that decides whether anything changes, and the
 * extraction in place.
 */
export function unarchiveScript(plan: UnarchivePlan, ctx: ModuleContext, attributes: AttributeWants): Script {
  const handlerProbes = TAR_HANDLERS.map(
    ({ flag, name }) => sh`  if [ -z "$ua_handler" ]; then ua_try ${flag} ${name}; fi`,
  );
  return Script.join([
    filesLib(ctx.userland),
    BIN_PATH,
    PARSABLE_LOCALE,
    zipLibrary(ctx.userland),
    attributeWantsScript(attributes),
    sh`fleet_check=${ctx.check ? '1' : '0'} ua_dest=${plan.dest} ua_src=${plan.remoteSrc ?? ''} ua_creates=${plan.creates ?? ''} ua_missing=${plan.missingSource ?? ''} ua_remote=${plan.remoteSrc === null ? '0' : '1'}`,
    tarFunction(plan),
    Script.raw(`ua_tmp=''
ua_fail() { [ -z "$ua_tmp" ] || rm -rf -- "$ua_tmp"; fleet_fail "$1"; }
ua_exit() { [ -z "$ua_tmp" ] || rm -rf -- "$ua_tmp"; exit 0; }
if [ -n "$ua_creates" ] && [ -e "$ua_creates" ]; then fleet_emit outcome creates; exit 0; fi
# The action's own failures (AnsibleActionFail) are told apart: Ansible adds an exception to them.
[ -z "$ua_missing" ] || { fleet_emit action_failed 1; fleet_fail "$ua_missing"; }
[ -d "$ua_dest" ] || { fleet_emit action_failed 1; fleet_fail "dest '$ua_dest' must be an existing dir"; }
ua_tmp=$(mktemp -d "\${TMPDIR:-/tmp}/fleet-unarchive.XXXXXX") || fleet_fail "could not make a temporary directory"`),
    uploadStep(plan.upload),
    Script.raw(`fleet_emit src "$ua_src"
if ! [ -e "$ua_src" ]; then
  [ "$ua_remote" = 1 ] || ua_fail "Source '$ua_src' failed to transfer"
  case $ua_src in *://*) ua_fail "fleet does not download archives: src '$ua_src' is a URL (fetch it with get_url first)" ;; esac
  ua_fail "Source '$ua_src' does not exist"
fi
[ -r "$ua_src" ] || ua_fail "Source '$ua_src' not readable"
[ -s "$ua_src" ] || ua_fail "Invalid archive '$ua_src', the file is 0 bytes"
[ -d "$ua_dest" ] || ua_fail "Destination '$ua_dest' is not a directory"`),
    zipStep(plan),
    Script.raw(`# TgzArchive's constructor ends a check-mode run: the tar handlers do not support it.
if [ "$fleet_check" = 1 ]; then fleet_emit outcome check; ua_exit; fi
ua_tar_path=$(command -v gtar) || ua_tar_path=$(command -v tar) || { fleet_emit reason "Unable to find required 'gtar' or 'tar' binary in the path"; fleet_emit outcome nohandler; ua_exit; }
case $("$ua_tar_path" --version 2>/dev/null) in
  tar*GNU*) ;;
  bsdtar*) fleet_emit reason "Command \\"$ua_tar_path\\" detected as tar type bsd. GNU tar required."; fleet_emit outcome nohandler; ua_exit ;;
  *) fleet_emit reason "Command \\"$ua_tar_path\\" detected as tar type None. GNU tar required."; fleet_emit outcome nohandler; ua_exit ;;
esac
# get_best_parsable_locale: tar words its messages in it.
fleet_parsable_locale
# TgzArchive.can_handle_archive: the file list is the test, and an empty one is refused.
ua_try() {
  ua_tar --list "$1"
  if [ "$ua_rc" != 0 ]; then
    ua_err=$(cat -- "$ua_tmp/err"; printf x)
    fleet_emit reason "Command \\"$ua_tar_path\\" could not handle archive: Unable to list files in the archive: \${ua_err%x}"
  elif ! [ -s "$ua_tmp/out" ]; then fleet_emit reason "Command \\"$ua_tar_path\\" found no files in archive. Empty archive files are not supported."
  else ua_handler=$2 ua_flag=$1; fleet_emit handler "$2"; fleet_emit_file files "$ua_tmp/out"; fi
}`),
    ...handlerProbes,
    Script.raw(`if [ -z "$ua_handler" ]; then fleet_emit outcome nohandler; ua_exit; fi
# is_unarchived: the --diff lines that count, by what the task sets itself and who runs it.
ua_tar --diff "$ua_flag"
ua_counted=': Mod time differs$|: Warning: Cannot stat: No such file or directory$|: Invalid owner|: Invalid group'
[ "$fleet_has_mode" = 1 ] || ua_counted="$ua_counted|: Mode differs$"
if [ "$(id -u)" = 0 ]; then
  [ -n "$fleet_want_owner" ] || ua_counted="$ua_counted|: Uid differs$"
  [ -n "$fleet_want_group" ] || ua_counted="$ua_counted|: Gid differs$"
fi
if cat -- "$ua_tmp/out" "$ua_tmp/err" | grep -v ': : Warning: Cannot stat: No such file or directory$' | grep -E -q -e "$ua_counted"; then
  ua_tar --extract "$ua_flag"
  fleet_emit extract_rc "$ua_rc"; fleet_emit_file extract_out "$ua_tmp/out"; fleet_emit_file extract_err "$ua_tmp/err"
  if [ "$ua_rc" != 0 ]; then fleet_emit outcome unpack_failed; fleet_path_info "$ua_dest"; ua_exit; fi
  fleet_emit outcome extracted
else
  fleet_emit outcome unarchived
fi
fleet_path_info "$ua_dest"
ua_exit`),
  ]);
}

/** set_fs_attributes_if_different on each listed file and each top folder, then dest's path info. */
export function attributesScript(dest: string, paths: readonly string[], ctx: ModuleContext, attributes: AttributeWants): Script {
  return Script.join([
    filesLib(ctx.userland),
    attributeWantsScript(attributes),
    Script.raw('fleet_changed=0'),
    ...paths.map((path) => sh`fleet_attrs ${path} 0`),
    Script.raw('fleet_emit changed "$fleet_changed"'),
    sh`fleet_path_info ${dest}`,
  ]);
}
