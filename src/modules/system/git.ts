import { Script, sh } from '../../shell/script.js';
import type { Args, ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { expandInto, expandUserFunctions } from './expand.js';

// modules/git.py argument_spec
const spec: ArgSpec = {
  options: {
    dest: { type: 'path' },
    repo: { type: 'str', required: true, aliases: ['name'] },
    version: { type: 'str', default: 'HEAD' },
    remote: { type: 'str', default: 'origin' },
    refspec: { type: 'str' },
    reference: { type: 'str' },
    force: { type: 'bool', default: false },
    depth: { type: 'int' },
    clone: { type: 'bool', default: true },
    update: { type: 'bool', default: true },
    verify_commit: { type: 'bool', default: false },
    gpg_whitelist: { type: 'list', elements: 'str', default: [] },
    accept_hostkey: { type: 'bool', default: false },
    accept_newhostkey: { type: 'bool', default: false },
    key_file: { type: 'path' },
    ssh_opts: { type: 'str' },
    executable: { type: 'path' },
    bare: { type: 'bool', default: false },
    recursive: { type: 'bool', default: true },
    single_branch: { type: 'bool', default: false },
    track_submodules: { type: 'bool', default: false },
    umask: { type: 'raw' },
    archive: { type: 'path' },
    archive_prefix: { type: 'str' },
    separate_git_dir: { type: 'path' },
  },
  mutuallyExclusive: [['separate_git_dir', 'bare'], ['accept_hostkey', 'accept_newhostkey']],
};

const UNSUPPORTED: Record<string, (v: unknown) => boolean> = {
  refspec: (v) => v !== null,
  reference: (v) => v !== null,
  verify_commit: (v) => v === true,
  bare: (v) => v === true,
  single_branch: (v) => v === true,
  track_submodules: (v) => v === true,
  umask: (v) => v !== null,
  archive: (v) => v !== null,
  separate_git_dir: (v) => v !== null,
};

/**
 * The clone / fetch / switch_version sequence of git.py for a working tree, in one script:
 * records before, after, remote_url_changed, local_mods, and any failing step's error.
 */
const BODY = `fleet_git() { "$fleet_gitbin" "$@"; }
fleet_fail() { fleet_emit fail "$1"; fleet_emit err "$2"; exit 0; }
fleet_remote_head() {
  case $fleet_version in
    HEAD) fleet_ref=HEAD ;;
    *) fleet_ref=$fleet_version ;;
  esac
  fleet_out=$(fleet_git ls-remote "$1" -h "refs/heads/$fleet_ref" 2>/dev/null | cut -f1)
  [ -n "$fleet_out" ] || fleet_out=$(fleet_git ls-remote "$1" "$fleet_ref" "$fleet_ref^{}" 2>/dev/null | tail -n 1 | cut -f1)
  [ -n "$fleet_out" ] || fleet_out=$fleet_version
  printf '%s' "$fleet_out"
}
fleet_switch() {
  cd "$fleet_dest" || fleet_fail "cd" "cannot enter $fleet_dest"
  if [ "$fleet_version" = HEAD ]; then
    fleet_branch=$(fleet_git symbolic-ref --short "refs/remotes/$fleet_remote/HEAD" 2>/dev/null) || fleet_branch="$fleet_remote/$(fleet_git rev-parse --abbrev-ref HEAD)"
    fleet_err=$(fleet_git checkout --force "\${fleet_branch#"$fleet_remote/"}" 2>&1) || fleet_fail checkout "$fleet_err"
    fleet_err=$(fleet_git reset --hard "$fleet_branch" -- 2>&1) || fleet_fail reset "$fleet_err"
  elif fleet_git show-ref --verify --quiet "refs/remotes/$fleet_remote/$fleet_version"; then
    fleet_err=$(fleet_git checkout --force "$fleet_version" 2>&1) || fleet_fail checkout "$fleet_err"
    fleet_err=$(fleet_git reset --hard "$fleet_remote/$fleet_version" -- 2>&1) || fleet_fail reset "$fleet_err"
  else
    fleet_err=$(fleet_git checkout --force "$fleet_version" 2>&1) || fleet_fail checkout "$fleet_err"
  fi
}
fleet_depth_args() { if [ -n "$fleet_depth" ]; then printf -- '--depth %s' "$fleet_depth"; fi; }
if [ ! -e "$fleet_dest/.git/config" ]; then
  if [ "$fleet_check" = 1 ] || [ "$fleet_clone" != 1 ]; then fleet_emit after "$(fleet_remote_head "$fleet_repo")"; fleet_emit changed 1; exit 0; fi
  mkdir -p "$(dirname "$fleet_dest")"
  set -- clone --origin "$fleet_remote"
  # shellcheck disable=SC2046
  [ -z "$fleet_depth" ] || set -- "$@" $(fleet_depth_args) --no-single-branch
  if [ -n "$fleet_depth" ] && [ "$fleet_version" != HEAD ]; then set -- "$@" --branch "$fleet_version"; fi
  fleet_err=$(fleet_git "$@" "$fleet_repo" "$fleet_dest" 2>&1) || fleet_fail clone "$fleet_err"
  fleet_switch
elif [ "$fleet_update" != 1 ]; then
  fleet_head=$(cd "$fleet_dest" && fleet_git rev-parse HEAD); fleet_emit before "$fleet_head"; fleet_emit after "$fleet_head"; exit 0
else
  cd "$fleet_dest" || exit 1
  fleet_emit updating 1
  fleet_emit before "$(fleet_git rev-parse HEAD 2>/dev/null)"
  if fleet_git status --porcelain 2>/dev/null | grep -qv '^??'; then
    [ "$fleet_force" = 1 ] || fleet_fail local_mods ""
    fleet_emit local_mods 1
    [ "$fleet_check" = 1 ] || fleet_git reset --hard HEAD >/dev/null 2>&1
  fi
  fleet_url=$(fleet_git config --get "remote.$fleet_remote.url")
  if [ -n "$fleet_url" ] && [ "$fleet_url" != "$fleet_repo" ]; then
    fleet_emit remote_url_changed 1
    [ "$fleet_check" = 1 ] || fleet_git remote set-url "$fleet_remote" "$fleet_repo"
  fi
  if [ "$fleet_check" = 1 ]; then fleet_emit after "$(fleet_remote_head "$fleet_remote")"; fleet_emit check_update 1; exit 0; fi
  # shellcheck disable=SC2046
  fleet_err=$(fleet_git fetch $(fleet_depth_args) "$fleet_remote" "+refs/heads/*:refs/remotes/$fleet_remote/*" "+refs/tags/*:refs/tags/*" 2>&1) || fleet_fail fetch "$fleet_err"
  fleet_git remote set-head "$fleet_remote" --auto >/dev/null 2>&1
  fleet_switch
fi
fleet_emit after "$(cd "$fleet_dest" && fleet_git rev-parse HEAD)"`;

function gitScript(args: Args, ctx: ModuleContext): Script {
  const flag = (key: string): string => (args.get(key) === true ? '1' : '0');
  const depth = args.get('depth');
  return Script.join([
    expandUserFunctions(ctx.userland),
    Script.raw('('),
    expandInto('fleet_dest', args.get('dest') as string),
    expandInto('fleet_repo', args.get('repo') as string),
    Script.raw('case $fleet_dest in /*) ;; *) fleet_dest=$(pwd)/$fleet_dest ;; esac'),
    Script.raw('case $fleet_repo in /*) fleet_repo=file://$fleet_repo ;; esac'),
    sh`fleet_version=${args.get('version') as string} fleet_remote=${args.get('remote') as string} fleet_depth=${depth === null ? '' : String(depth)}`,
    sh`fleet_gitbin=${(args.get('executable') as string | null) ?? 'git'} fleet_force=${flag('force')} fleet_clone=${flag('clone')} fleet_update=${flag('update')} fleet_check=${ctx.check ? '1' : '0'}`,
    Script.raw('export LANG=C LC_ALL=C LC_MESSAGES=C LC_CTYPE=C'),
    Script.raw('fleet_emit dest "$fleet_dest"'),
    Script.raw(BODY),
    Script.raw(')'),
  ]);
}

/** git: clone or update a working tree to `version`; before/after are commit ids. */
export const git: ModuleDef = {
  name: 'git',
  spec,
  supportsCheckMode: true,
  asyncJob: true,
  async run(args, ctx): Promise<ModuleResult> {
    const refused = Object.entries(UNSUPPORTED).filter(([key, isSet]) => isSet(args.get(key))).map(([key]) => key);
    if (refused.length > 0) return { failed: true, msg: `fleet's git module does not support: ${refused.join(', ')}`, changed: false };
    if (args.get('dest') === null) {
      return args.get('clone') === true ? { failed: true, msg: 'the destination directory must be specified unless clone=no', changed: false } : { failed: true, msg: "fleet's git module needs dest", changed: false };
    }
    const output = await ctx.remote(gitScript(args, ctx));
    const before = output.fields.has('before') ? field(output, 'before') : null;
    const failure = field(output, 'fail');
    const dest = field(output, 'dest');
    if (failure === 'local_mods') return { changed: false, before, failed: true, msg: `Local modifications exist in the destination: ${dest} (force=no).` };
    if (failure) return { changed: false, before, failed: true, msg: `Failed to ${failure}: ${field(output, 'err')}` };
    if (!output.fields.has('after')) return { changed: false, before, failed: true, msg: `git failed on the host: ${output.stderr.trim()}` };
    const after = field(output, 'after');
    const urlChanged = output.fields.has('remote_url_changed');
    const localMods = output.fields.has('local_mods');
    const result: ModuleResult = { changed: false, before };
    if (output.fields.has('updating')) result.remote_url_changed = urlChanged;
    if (localMods && !ctx.check) result.msg = `Local modifications exist in the destination: ${dest}`;
    result.after = after;
    result.changed = output.fields.has('changed') || before !== after || localMods || urlChanged;
    return result;
  },
};
