import { ArgumentError } from '../argspec.js';
import { pyStr } from '../../template/python/index.js';
import { isStr, strValue } from '../../template/python/types.js';
import { PyDict, PyFloat, PyTuple, type PyValue } from '../../template/values.js';
import { Script } from '../../shell/script.js';

/**
 * A `mode` argument as Ansible's set_mode_if_different reads it
 * (lib/ansible/module_utils/basic.py): an int is used as is (so YAML `644` is decimal 644,
 * i.e. 0o1204), a string is first tried as octal (`int(mode, 8)`), otherwise parsed as
 * chmod-style symbolic clauses evaluated against the file's current mode.
 */
export type ModeArg = { kind: 'octal'; value: number } | { kind: 'symbolic'; text: string; clauses: SymbolicClause[] };

interface SymbolicClause {
  users: string;
  useUmask: boolean;
  operations: { operator: '+' | '-' | '='; perms: string }[];
}

// Python's int(text, 8): optional sign and 0o prefix, digits with single underscores between.
const PY_OCTAL = /^\s*([+-]?)(?:0[oO])?([0-7](?:_?[0-7])*)\s*$/;

/** A file option fleet rejects before touching the host; modules report it as a failed task. */
export class FileOptionError extends ArgumentError {
  constructor(
    message: string,
    readonly details?: string,
  ) {
    super(message);
  }
}

/** The `details` key Ansible adds to a bad-mode failure, when there is one. */
export function detailsOf(error: FileOptionError): { details?: string } {
  return error.details === undefined ? {} : { details: error.details };
}

export class ModeError extends FileOptionError {
  constructor(details: string) {
    super('mode must be in octal or symbolic form', details);
  }
}

/** `mode: preserve` (copy, template): also when templated from a registered result, as unsafe text. */
export const isPreserveMode = (value: PyValue | undefined): boolean => value !== undefined && isStr(value) && strValue(value) === 'preserve';

/** The arguments with `mode: preserve` taken out (the caller sets the source's mode itself); others as they are. */
export function withoutPreservedMode(args: Map<string, PyValue>): Map<string, PyValue> {
  return isPreserveMode(args.get('mode')) ? new Map([...args, ['mode', null]]) : args;
}

export function parseMode(value: PyValue): ModeArg | null {
  if (value === null) return null;
  if (typeof value === 'number') return { kind: 'octal', value };
  if (typeof value === 'boolean') return { kind: 'octal', value: value ? 1 : 0 };
  // The module gets a float, list or dict as JSON; int(mode, 8) refuses it, then .split(',') fails.
  const unsplittable = value instanceof PyFloat ? 'float' : Array.isArray(value) || value instanceof PyTuple ? 'list' : value instanceof PyDict ? 'dict' : null;
  if (unsplittable !== null) throw new ModeError(`'${unsplittable}' object has no attribute 'split'`);
  // A templated mode (`{{ st.stat.mode }}`) is unsafe text: its text, not the object.
  const text = isStr(value) ? strValue(value) : pyStr(value);
  const octal = PY_OCTAL.exec(text);
  if (octal) {
    const magnitude = parseInt((octal[2] ?? '').replace(/_/g, ''), 8);
    return { kind: 'octal', value: octal[1] === '-' ? -magnitude : magnitude };
  }
  return { kind: 'symbolic', text, clauses: text.split(',').map(parseClause) };
}

function parseClause(clause: string): SymbolicClause {
  const pieces = clause.split(/[+=-]/);
  const operators = clause.match(/[+=-]/g) ?? [];
  const given = pieces.shift() ?? '';
  const users = given === '' || given === 'a' ? 'ugo' : given;
  if (/[^ugo]/.test(users)) throw new ModeError(`bad symbolic permission for mode: ${clause}`);
  const operations = pieces.map((perms, index) => {
    if (/[^rwxXstugo]/.test(perms)) throw new ModeError(`bad symbolic permission for mode: ${clause}`);
    return { operator: operators[index] as '+' | '-' | '=', perms };
  });
  return { users, useUmask: given === '', operations };
}

const USER_SHIFT: Record<string, number> = { u: 6, g: 3, o: 0 };
const SPECIAL: Record<string, { s: number; t: number; eq: number }> = {
  u: { s: 0o4000, t: 0, eq: 0o4700 },
  g: { s: 0o2000, t: 0, eq: 0o2070 },
  o: { s: 0, t: 0o1000, eq: 0o1007 },
};

/** Shell arithmetic for the bits `perm` grants `user`, in Ansible's _get_octal_mode_from_symbolic_perms terms. */
function permTerm(user: string, perm: string, useUmask: boolean): string {
  const shift = USER_SHIFT[user] as number;
  const bit = (value: number) => (value << shift).toString(8);
  switch (perm) {
    case 'r':
    case 'w':
    case 'x': {
      const value = bit({ r: 4, w: 2, x: 1 }[perm] as number);
      return useUmask ? `(rum & 0${value})` : `0${value}`;
    }
    case 'X':
      return `(xok * 0${bit(1)})`;
    case 's':
      return `0${(SPECIAL[user] as { s: number }).s.toString(8)}`;
    case 't':
      return `0${(SPECIAL[user] as { t: number }).t.toString(8)}`;
    default: {
      // u, g, o: copy that class's bits of the original mode into `user`'s position.
      const from = USER_SHIFT[perm] as number;
      const bits = `(p & 0${(7 << from).toString(8)})`;
      return from === shift ? bits : from > shift ? `(${bits} >> ${from - shift})` : `(${bits} << ${shift - from})`;
    }
  }
}

/**
 * A shell function `fleet_mode_want PREV_MODE IS_DIR` that sets `fleet_mode_wanted` to the
 * wanted mode as octal digits (a variable, not output, so no subshell is forked for it). Symbolic clauses read the file's original mode (`p`), whether X applies (a
 * directory or any x bit) and the umask, exactly as Ansible's _symbolic_mode_to_octal.
 */
export function modeFunction(mode: ModeArg): Script {
  if (mode.kind === 'octal') return Script.raw(`fleet_mode_want() { fleet_mode_wanted=${mode.value.toString(8)}; }`);
  const lines = [
    'fleet_mode_want() {',
    '  p=$((0$1)) m=$((0$1)) rum=$(( 07777 ^ 0$(umask) )) xok=0',
    '  if [ "$2" = 1 ] || [ $((p & 0111)) -ne 0 ]; then xok=1; fi',
  ];
  for (const clause of mode.clauses) {
    for (const { operator, perms } of clause.operations) {
      for (const user of clause.users) {
        const terms = [...perms].map((perm) => permTerm(user, perm, clause.useUmask));
        const apply = terms.length === 0 ? '0' : terms.length === 1 ? (terms[0] as string) : `(${terms.join(' | ')})`;
        if (operator === '=') lines.push(`  m=$(( (m & ${(0o7777 ^ (SPECIAL[user] as { eq: number }).eq).toString()}) | ${apply} ))`);
        else if (operator === '+') lines.push(`  m=$(( m | ${apply} ))`);
        else lines.push(`  m=$(( m & ~${apply} ))`);
      }
    }
  }
  // Octal digits by arithmetic: printf into a variable would need a subshell.
  lines.push('  fleet_mode_wanted=$((m % 8)) m=$((m / 8))', '  while [ "$m" -gt 0 ]; do fleet_mode_wanted=$((m % 8))$fleet_mode_wanted m=$((m / 8)); done', '}');
  return Script.raw(lines.join('\n'));
}

/** Ansible's `'0%03o' % mode`, the form of every `mode` it returns. */
export function formatMode(octalDigits: string): string {
  const value = parseInt(octalDigits, 8);
  return `0${value.toString(8).padStart(3, '0')}`;
}
