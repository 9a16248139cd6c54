import { Script, sh } from '../../shell/script.js';
import type { Userland } from '../../shell/userland.js';
import type { Args, ArgSpec } from '../argspec.js';
import { sha1Hex } from '../files/content-write.js';
import { detailsOf, FileOptionError, parseMode, type ModeArg } from '../files/mode.js';
import { scriptFailure } from '../files/results.js';
import { filesLib } from '../files/shell-lib.js';
import { EditError, writeEdit } from '../files/text-edit.js';
import { field } from '../remote.js';
import type { DiffEntry, ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import {
  addSource,
  dumpSources,
  enabledSources,
  expandPpa,
  InvalidSource,
  lsbCodename,
  parseSourceLine,
  parseSourcesFile,
  PythonIndexError,
  removeSource,
  suggestFilename,
  type SourcesList,
} from './apt-sources.js';
import { aptErrorText, aptUpdateWithRetries } from './apt-update.js';
import { BIN_PATH } from './bin-path.js';
import { moduleFailure } from './module-failure.js';

// modules/apt_repository.py main()
const spec: ArgSpec = {
  options: {
    repo: { type: 'str', required: true },
    state: { type: 'str', default: 'present', choices: ['absent', 'present'] },
    mode: { type: 'raw' },
    update_cache: { type: 'bool', default: true, aliases: ['update-cache'] },
    update_cache_retries: { type: 'int', default: 5 },
    update_cache_retry_max_delay: { type: 'int', default: 12 },
    filename: { type: 'str' },
    // The module installs python3-apt when missing; fleet reads and writes the files with the
    // shell and runs apt-get, so it needs no python-apt and ignores this.
    install_python_apt: { type: 'bool', default: true },
    // Only used to fetch a PPA's details from Launchpad, which fleet refuses to do.
    validate_certs: { type: 'bool', default: true },
    codename: { type: 'str' },
  },
};

const failed = (msg: string): ModuleResult => ({ failed: true, changed: false, msg });

/**
 * The read: apt's Dir::Etc::sourcelist and every sources.list.d/*.list (as the module's glob
 * finds them), whether apt-key or gpg is there (UbuntuSourcesList requires one), and
 * `lsb_release -idrc` when a PPA needs the distribution's codename.
 */
function readScript(userland: Userland, needsCodename: boolean): Script {
  return Script.join([
    filesLib(userland),
    BIN_PATH,
    Script.raw(`if fleet_bin_path apt-config; then
  fleet_sl='' fleet_sp=''
  eval "$("$fleet_bin" shell fleet_sl Dir::Etc::sourcelist/f fleet_sp Dir::Etc::sourceparts/d)"
  fleet_emit sourceparts "$fleet_sp"
  if [ -f "$fleet_sl" ]; then fleet_emit file "$fleet_sl"; fleet_emit_file content "$fleet_sl"; fi
  for fleet_f in "\${fleet_sp%/}"/*.list; do
    if [ -f "$fleet_f" ] && [ -r "$fleet_f" ]; then fleet_emit file "$fleet_f"; fleet_emit_file content "$fleet_f"
    elif [ -e "$fleet_f" ] || [ -L "$fleet_f" ]; then fleet_fail "fleet cannot read $fleet_f as a sources file"; fi
  done
  fleet_bin_path apt-key || fleet_bin_path gpg || fleet_emit no_key_tool 1
  ${needsCodename ? 'fleet_emit lsb "$(lsb_release -idrc 2>/dev/null)"' : ':'}
else fleet_emit no_apt_config 1; fi`),
  ]);
}

interface ReadSources {
  partsDir: string;
  /** Each file read and its text. */
  texts: Map<string, string>;
}

function sourcesList(read: ReadSources): SourcesList {
  const files = new Map([...read.texts].map(([file, text]) => [file, parseSourcesFile(text)]));
  return { files, newRepos: new Set(), partsDir: read.partsDir };
}

/** add_source/remove_source on `list`; a PPA's deb line uses `codename`. */
function edit(list: SourcesList, args: Args, codename: string): ModuleResult | null {
  const repo = args.get('repo') as string;
  const ppa = repo.startsWith('ppa:');
  const source = ppa ? expandPpa(repo, codename) : parseSourceLine(repo, true).source;
  if (args.get('state') === 'absent') {
    removeSource(list, source);
  } else if (!ppa) {
    addSource(list, source, suggestFilename(source, args.get('filename') as string | null));
  } else if (!enabledSources(list).includes(source)) {
    return failed(
      `fleet does not add PPAs: Ansible's apt_repository looks ${repo}'s signing key up on Launchpad over the network. ` +
        `Install the key (e.g. get_url into /etc/apt/keyrings) and give the deb line with signed-by= instead: ${source}`,
    );
  }
  return null;
}

function sameDump(before: Map<string, string>, after: Map<string, string>): boolean {
  return before.size === after.size && [...before].every(([file, text]) => after.get(file) === text);
}

/** The module's diff: every file in either dump (Ansible iterates a set of their names; fleet keeps reading order). */
function diffOf(before: Map<string, string>, after: Map<string, string>): DiffEntry[] {
  const files = [...new Set([...before.keys(), ...after.keys()])];
  return files.map((file) => ({
    before: before.get(file) ?? '',
    after: after.get(file) ?? '',
    before_header: before.has(file) ? file : '/dev/null',
    after_header: after.has(file) ? file : '/dev/null',
  }));
}

/**
 * SourcesList.save: every file with lines rewritten (atomic_move: the old file's mode and
 * owner, a link replaced), `mode` set on the files a source was appended to, and every file
 * left without lines deleted. `current` (each path's SHA-1, null when absent) guards each
 * write and follows it.
 */
async function save(list: SourcesList, mode: ModeArg | null, current: Map<string, string | null>, ctx: ModuleContext): Promise<void> {
  const dump = dumpSources(list);
  for (const [file, text] of dump) {
    await writeEdit(
      {
        path: file,
        readSha1: current.get(file) ?? null,
        content: text,
        createParents: true,
        backup: false,
        validate: null,
        attributes: { owner: null, group: null, mode: list.newRepos.has(file) ? mode : null },
        replaceLink: true,
      },
      ctx,
    );
    current.set(file, sha1Hex(Buffer.from(text, 'utf8')));
  }
  const emptied = [...list.files.keys()].filter((file) => !dump.has(file));
  await remove(emptied, current, ctx);
}

async function remove(files: string[], current: Map<string, string | null>, ctx: ModuleContext): Promise<void> {
  if (files.length === 0) return;
  const output = await ctx.remote(Script.join([filesLib(ctx.userland), ...files.map((file) => sh`if [ -e ${file} ]; then rm -f -- ${file} || fleet_fail ${`could not remove ${file}`}; fi`)]));
  const failure = scriptFailure(output);
  if (failure) throw new EditError(failure);
  for (const file of files) current.set(file, null);
}

/** revert_sources_list: the files the change created removed, the others written back as they were read. */
async function revert(before: SourcesList, beforeDump: Map<string, string>, afterDump: Map<string, string>, current: Map<string, string | null>, ctx: ModuleContext): Promise<void> {
  await remove([...afterDump.keys()].filter((file) => !beforeDump.has(file)), current, ctx);
  await save(before, null, current, ctx);
}

async function updateCache(args: Args, ctx: ModuleContext): Promise<string | null> {
  const jitter = Math.floor(Math.random() * 1001) / 1000;
  const output = await ctx.remote(aptUpdateWithRetries(args.get('update_cache_retries') as number, args.get('update_cache_retry_max_delay') as number, jitter));
  if (output.fields.has('updated')) return null;
  return aptErrorText(field(output, 'update_err')) || 'unknown reason';
}

/** The `mode` option, parsed before anything is read (the module checks it only when it sets it). */
function modeOf(args: Args): { mode: ModeArg | null } | { failure: ModuleResult } {
  try {
    return { mode: parseMode(args.get('mode') ?? null) };
  } catch (error) {
    if (error instanceof FileOptionError) return { failure: { ...failed(error.message), ...detailsOf(error) } };
    throw error;
  }
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const repo = args.get('repo') as string;
  if (repo === '') return failed("Please set argument 'repo' to a non-empty value");
  const wanted = modeOf(args);
  if ('failure' in wanted) return wanted.failure;
  const mode = wanted.mode;
  const givenCodename = (args.get('codename') as string | null) || null;
  const output = await ctx.remote(readScript(ctx.userland, repo.startsWith('ppa:') && givenCodename === null), { readOnly: true });
  const readFailure = scriptFailure(output);
  if (readFailure) return readFailure;
  if (output.fields.has('no_apt_config')) return failed("fleet's apt_repository needs apt-config on the host: it reads apt's own configuration (Debian and its derivatives only)");
  if (output.fields.has('no_key_tool')) return failed('Either apt-key or gpg binary is required, but neither could be found');
  const contents = output.fields.get('content') ?? [];
  const read: ReadSources = { partsDir: field(output, 'sourceparts'), texts: new Map((output.fields.get('file') ?? []).map((file, index) => [file, contents[index] ?? ''])) };
  const unreadable = [...read.texts].find(([, text]) => text.includes('\uFFFD'));
  if (unreadable) return failed(`fleet can only read UTF-8 sources files: ${unreadable[0]} is not valid UTF-8`);

  const before = sourcesList(read);
  const after = sourcesList(read);
  try {
    const refused = edit(after, args, givenCodename ?? lsbCodename(field(output, 'lsb')));
    if (refused) return refused;
  } catch (error) {
    if (error instanceof InvalidSource) return failed(`Invalid repository string: ${error.message}`);
    if (error instanceof PythonIndexError) return moduleFailure({ stdout: '', stderr: `IndexError: ${error.message}\n`, rc: 1 });
    throw error;
  }
  const beforeDump = dumpSources(before);
  const afterDump = dumpSources(after);
  const changed = !sameDump(beforeDump, afterDump);
  // The module returns `diff: {}` when it makes none.
  const diff: Record<string, unknown> = { diff: changed && ctx.diff ? diffOf(beforeDump, afterDump) : {} };
  const result: ModuleResult = { changed, repo, state: args.get('state'), ...diff };
  if (!changed || ctx.check) return result;

  const current = new Map([...read.texts].map(([file, text]) => [file, sha1Hex(Buffer.from(text, 'utf8'))] as [string, string | null]));
  try {
    await save(after, mode, current, ctx);
    if (args.get('update_cache') === true) {
      const error = await updateCache(args, ctx);
      if (error !== null) {
        await revert(before, beforeDump, afterDump, current, ctx);
        return failed(`Failed to update apt cache: ${error}`);
      }
    }
  } catch (error) {
    if (error instanceof EditError) return error.result as ModuleResult;
    throw error;
  }
  return result;
}

export const aptRepository: ModuleDef = { name: 'apt_repository', spec, supportsCheckMode: true, run };
