import { field } from '../remote.js';
import type { RemoteOutput } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { EMIT_FUNCTIONS } from '../../shell/records.js';
import type { Userland } from '../../shell/userland.js';
import { BSD_FORMAT, GNU_FORMAT } from './stat.js';

/** One directory entry as the host listed it: the `lstat` line stat.ts parses, or stat's complaint. */
export interface WalkEntry {
  name: string;
  /** `os.DirEntry.is_dir()`: a directory, or a link to one. */
  isDir: boolean;
  /** A link to a directory, which os.walk enters only when following links. */
  isDirLink: boolean;
  /** A directory opendir would refuse (os.walk's onerror fires when it is entered). */
  unreadable: boolean;
  statLine: string | null;
  statError: string | null;
}

/** What the host found under one of the `paths`. */
export type WalkedPath =
  | { status: 'not-directory' | 'unreadable' }
  | { status: 'listed'; entries: Map<string, WalkEntry[]> };

export interface WalkRequest {
  path: string;
  /** find's -maxdepth: how deep os.walk will list (null: no limit). */
  maxDepth: number | null;
}

/**
 * Runs for each batch of paths `find -exec … {} +` hands over: one `e` record per entry,
 * then the batch's lstat lines as `s` records in the same order (one stat for the batch;
 * entry by entry only when some entry could not be stat'ed).
 */
export function findBatchScript(userland: Userland): string {
  const stat = userland.stat === 'gnu' ? `stat -c '${GNU_FORMAT}'` : `stat -f '${BSD_FORMAT}'`;
  return `${EMIT_FUNCTIONS}fleet_rec=$1 prefix=$2 nl='
'; shift 2
for p do
  d=-; u=-
  if [ -d "$p" ]; then d=d; [ -L "$p" ] && d=L; [ -r "$p" ] || u=u; fi
  fleet_emit e "E$d$u\${p#"$prefix"}"
done
if out=$(${stat} -- "$@" 2>/dev/null); then fleet_emit s "$out"
else
  for p do
    # A complaint keeps its first line: each entry owns exactly one line of \`s\`.
    if out=$(${stat} -- "$p" 2>&1); then fleet_emit s "$out"; else fleet_emit s "!\${out%%"$nl"*}"; fi
  done
fi`;
}

/**
 * Lists every path's tree in one script: find walks it (readdir order, links followed when
 * `follow`), and each path is marked first as listed (`Td`), not a directory (`Tn`) or
 * unreadable (`Tu`). The host's clock is sent for the age filter.
 */
export function walkScript(requests: readonly WalkRequest[], follow: boolean, userland: Userland): Script {
  const lines: Script[] = [
    sh`fleet_find_batch=${findBatchScript(userland)}`,
    // time.time() has a fraction; BSD date has no %N and prints it literally.
    Script.raw(`fw_now=$(date +%s.%N); case $fw_now in *N*) fw_now=$(date +%s) ;; esac
fleet_emit now "$fw_now"
fleet_find_path() {
  if ! [ -d "$1" ]; then fleet_emit e Tn; return 0; fi
  if ! [ -r "$1" ]; then fleet_emit e Tu; return 0; fi
  fleet_emit e Td
  # find prints the start as given, then /name: the batch strips "TOP/./" back off.
  case $1 in /*) fw_top=$1/. ;; *) fw_top=./$1/. ;; esac
  if [ -n "$2" ]; then set -- -maxdepth "$2"; else set --; fi
  find ${follow ? '-L ' : ''}"$fw_top" -mindepth 1 "$@" -exec sh -c "$fleet_find_batch" sh "$fleet_rec" "$fw_top/" {} + 2>/dev/null
  return 0
}`),
  ];
  for (const request of requests) lines.push(sh`fleet_find_path ${request.path} ${request.maxDepth === null ? '' : String(request.maxDepth)}`);
  return Script.join(lines);
}

/** Splits `a/b` into its directory (`a`) and name (`b`); names right under the top have directory ''. */
function splitRelative(path: string): [string, string] {
  const slash = path.lastIndexOf('/');
  return [slash < 0 ? '' : path.slice(0, slash), path.slice(slash + 1)];
}

/** The walk's records, one result per requested path, each entry filed under its directory relative to the top ('' for the top). */
export function parseWalk(output: RemoteOutput): { now: number; paths: WalkedPath[] } {
  const statLines = (output.fields.get('s') ?? []).flatMap((value) => value.split('\n'));
  const paths: WalkedPath[] = [];
  let current: Map<string, WalkEntry[]> | null = null;
  let statIndex = 0;
  for (const record of output.fields.get('e') ?? []) {
    if (record.startsWith('T')) {
      current = record === 'Td' ? new Map() : null;
      paths.push(current ? { status: 'listed', entries: current } : { status: record === 'Tn' ? 'not-directory' : 'unreadable' });
      continue;
    }
    const line = statLines[statIndex++] ?? '!';
    if (!current) continue;
    const [dir, name] = splitRelative(record.slice(3));
    const entry: WalkEntry = {
      name,
      isDir: record[1] !== '-',
      isDirLink: record[1] === 'L',
      unreadable: record[2] === 'u',
      statLine: line.startsWith('!') ? null : line,
      statError: line.startsWith('!') ? line.slice(1) : null,
    };
    const siblings = current.get(dir) ?? [];
    siblings.push(entry);
    current.set(dir, siblings);
  }
  return { now: Number(field(output, 'now', '0')), paths };
}
