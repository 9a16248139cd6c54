import type { PyValue } from '../template/values.js';

/** What a fact family's shell reported: its `fleet_emit` records, keys without the family prefix. */
export type FamilyOutput = ReadonlyMap<string, readonly string[]>;

/** Facts gathered so far, for families whose values depend on others (pkg_mgr, service_mgr). */
export interface Collected {
  get(key: string): PyValue | undefined;
}

/**
 * One fact family: POSIX shell (branching on `$fleet_system`, uname -s, at run time) that reports raw
 * material with `fleet_emit KEY VALUE`, and a parser turning it into `ansible_facts` keys
 * (unprefixed, as in `ansible_facts['hostname']`) with the values Ansible's collector computes.
 */
export interface FactFamily {
  name: string;
  /** The ansible-core collector (facts/subsets.ts) whose facts parse returns. */
  collector: string;
  /** The facts parse returns that another collector gathers, with that collector. */
  otherCollectors?: Readonly<Record<string, string>>;
  /** The families whose facts or shell variables this one reads, where its collector does not require them. */
  needs?: readonly string[];
  /**
   * Host files parse reads, by record key: read before any family runs, by one process for
   * all (shared_shell.ts fleet_read_files); with several paths, the first that has content.
   * A path may hold `$$`, the shell's pid. A file missing, unreadable or empty has no record.
   */
  files?: Readonly<Record<string, string | readonly string[]>>;
  /** Shell globs of host files parse reads, read with `files`: each match is record `file:<path>`. */
  globs?: readonly string[];
  command: string;
  parse(output: FamilyOutput, collected: Collected): Record<string, PyValue>;
}

/** The first value of a record, or '' when absent. */
export function one(output: FamilyOutput, key: string): string {
  return output.get(key)?.[0] ?? '';
}

/** The line of a /proc status text that starts with `name:`, or ''. */
export function statusLine(status: string, name: string): string {
  return status.split('\n').find((line) => line.startsWith(`${name}:`)) ?? '';
}

/** `KEY=value` lines (os-release, lsb-release) as a map; quotes around values removed. */
export function keyValueLines(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^\s*([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!match) continue;
    let value = (match[2] as string).trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
    out.set(match[1] as string, value);
  }
  return out;
}
