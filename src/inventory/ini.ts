import { ValidationError } from '../errors.js';
import type { PyValue } from '../template/values.js';
import type { InventoryBuilder } from './builder.js';
import { expandHostPattern, HostRangeError } from './host_pattern.js';
import { parseIniValue } from './literal_eval.js';
import { shlexSplit, ShlexError } from '../shell/shlex.js';

/**
 * Ansible's `ini` inventory plugin (ansible/plugins/inventory/ini.py): `[group]` host lines
 * with inline `key=value` vars, `[group:vars]`, `[group:children]`, hosts before any
 * section are ungrouped. Both host-line and `:vars` values go through Python's literal_eval;
 * host lines are shell-split first (so quotes group words and `#` starts a comment), while a
 * `:vars` value is everything after the first `=`.
 */

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;
const COMMENT_MARKERS = ['#', ';'];

type State = 'hosts' | 'vars' | 'children';

interface Pending {
  line: number;
  state: State;
  parents: string[];
}

/** An error Ansible's ini plugin reports as `path:line: message` (its _raise_error). */
export class IniLineError extends ValidationError {}

export function parseIniInventory(builder: InventoryBuilder, file: string, text: string): void {
  new IniParser(builder, file, text.split(/\r\n|\r|\n/)).parse();
}

class IniParser {
  private lineNo = 0;
  private rawLine = '';
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly builder: InventoryBuilder,
    private readonly file: string,
    private readonly lines: string[],
  ) {}

  parse(): void {
    let group = 'ungrouped';
    let state: State = 'hosts';
    for (const raw of this.lines) {
      this.lineNo += 1;
      this.rawLine = raw;
      const line = raw.trim();
      if (!line || COMMENT_MARKERS.includes(line[0] as string)) continue;

      const section = SECTION.exec(line);
      if (section) {
        group = section[1] as string;
        const kind = section[2] ?? 'hosts';
        if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
          this.fail(`Section [${group}:${kind}] has unknown type: ${kind}`);
        }
        state = kind;
        this.declareGroup(group, state);
        continue;
      }
      if (line.startsWith('[') && line.endsWith(']')) {
        this.fail(
          `Invalid section entry: '${line}'. Please make sure that there are no spaces in the section entry, ` +
            'and that there are no other invalid characters',
        );
      }
      if (state === 'hosts') this.addHosts(line, group);
      else if (state === 'vars') this.setGroupVar(line, group);
      else this.addChild(line, group);
    }
    this.reportUndeclared();
  }

  private declareGroup(group: string, state: State): void {
    if (!this.builder.inventory.groups.has(group)) {
      // `[g:vars]` alone does not declare g; it must be declared elsewhere in the file.
      if (state === 'vars' && !this.pending.has(group)) {
        this.pending.set(group, { line: this.lineNo, state, parents: [] });
      }
      this.builder.addGroup(group);
    }
    const pending = this.pending.get(group);
    if (pending && state !== 'vars') {
      if (pending.state === 'children') this.resolvePendingChildren(group);
      else if (pending.state === 'vars') this.pending.delete(group);
    }
  }

  private resolvePendingChildren(group: string): void {
    for (const parent of this.pending.get(group)?.parents ?? []) {
      this.builder.addChild(parent, group, this.location());
      if (this.pending.get(parent)?.state === 'children') this.resolvePendingChildren(parent);
    }
    this.pending.delete(group);
  }

  private reportUndeclared(): void {
    for (const [name, decl] of this.pending) {
      const location = { file: this.file, line: decl.line, col: 1 };
      if (decl.state === 'vars') {
        throw new IniLineError(`Section [${name}:vars] not valid for undefined group: ${name}`, { location });
      }
      throw new IniLineError(`Section [${decl.parents.at(-1) ?? ''}:children] includes undefined group: ${name}`, {
        location,
      });
    }
  }

  private addHosts(line: string, group: string): void {
    let tokens: string[];
    try {
      tokens = shlexSplit(line, { comments: true });
    } catch (err) {
      if (err instanceof ShlexError) this.fail(`Error parsing host definition '${line}': ${err.message}`);
      throw err;
    }
    // _parse_host_definition expands the pattern before it reads the variables.
    const { names, port } = this.expand(tokens[0] ?? '');
    const variables: [string, PyValue][] = [];
    for (const token of tokens.slice(1)) {
      const eq = token.indexOf('=');
      if (eq < 0) this.fail(`Expected key=value host variable assignment, got: ${token}`);
      variables.push([token.slice(0, eq), parseIniValue(token.slice(eq + 1))]);
    }
    for (const name of names) {
      this.builder.addHost(name, group, port, this.location());
      for (const [key, value] of variables) this.builder.setVariable(name, key, value, this.location());
    }
  }

  private expand(pattern: string): { names: string[]; port?: number } {
    let expanded;
    try {
      expanded = expandHostPattern(pattern);
    } catch (err) {
      if (err instanceof HostRangeError) this.reject(err.message);
      throw err;
    }
    if (pattern.trim().endsWith(':') && expanded.port === undefined) {
      this.reject(
        `Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`,
      );
    }
    if (expanded.names.some((name) => name.trim() === '---')) {
      this.reject(`Invalid host pattern '${pattern}' supplied, '---' is normally a sign this is a YAML file.`);
    }
    return expanded;
  }

  private setGroupVar(line: string, group: string): void {
    const eq = line.indexOf('=');
    if (eq < 0) this.fail(`Expected key=value, got: ${line}`);
    const key = line.slice(0, eq).trim();
    this.builder.setVariable(group, key, parseIniValue(line.slice(eq + 1).trim()), this.location());
  }

  private addChild(line: string, group: string): void {
    const m = GROUP_NAME.exec(line);
    if (!m) this.fail(`Expected group name, got: ${line}`);
    const child = m[1] as string;
    if (this.builder.inventory.groups.has(child)) {
      this.builder.addChild(group, child, this.location());
      return;
    }
    const pending = this.pending.get(child);
    if (pending) pending.parents.push(group);
    else this.pending.set(child, { line: this.lineNo, state: 'children', parents: [group] });
  }

  private location(): { file: string; line: number; col: number } {
    const col = this.rawLine.length - this.rawLine.trimStart().length + 1;
    return { file: this.file, line: this.lineNo, col };
  }

  /** The plugin's _raise_error: Ansible prefixes the message with `path:line: `. */
  private fail(message: string): never {
    throw new IniLineError(message, { location: this.location(), sourceLine: this.rawLine });
  }

  /** An error the plugin raises without naming the line. */
  private reject(message: string): never {
    throw new ValidationError(message, { location: this.location(), sourceLine: this.rawLine });
  }
}
