import { strRepr } from '../../template/python/repr.js';
import { PY_WHITESPACE, stripPy } from '../../template/python/text.js';

/**
 * community.general 6.6's pam_limits main() on the file's text, line for line, with its
 * quirks: a comment found on any limit line is reused for the line it writes (with that
 * line's newline in it), `use_max`/`use_min` compare -1 as unlimited, and every well-formed
 * line is validated, whoever it is for.
 */
export interface LimitWants {
  domain: string;
  type: string;
  item: string;
  value: string;
  useMax: boolean;
  useMin: boolean;
  comment: string;
}

export class LimitsFailure extends Error {}

const UNLIMITED = ['unlimited', 'infinity', '-1'];
const WHITESPACE_RUN = new RegExp(`[${PY_WHITESPACE.replace(/[\\\]^-]/g, '\\$&')}]+`, 'gu');

/** Python's int() of a str (ASCII digits), or null where it raises ValueError. */
function pyInt(text: string): bigint | null {
  const digits = stripPy(text, null, true, true);
  return /^[+-]?\d+(?:_\d+)*$/.test(digits) ? BigInt(digits.replace(/_/g, '')) : null;
}

/** _assert_is_valid_value's failure message, or null for a valid value. */
export function invalidValueMessage(item: string, value: string, prefix = ''): string | null {
  if (item === 'nice' || item === 'priority') {
    const number = pyInt(value);
    if (number !== null && number >= -20n && number <= 19n) return null;
    return `${prefix} Value of ${strRepr(value)} for item ${strRepr(item)} is invalid. Value must be a number in the range -20 to 19 inclusive. Refer to the limits.conf(5) manual pages for more details.`;
  }
  if (UNLIMITED.includes(value) || /^\d+$/.test(value)) return null;
  return `${prefix} Value of ${strRepr(value)} for item ${strRepr(item)} is invalid. Value must either be 'unlimited', 'infinity' or -1, all of which indicate no limit, or a limit of 0 or larger. Refer to the limits.conf(5) manual pages for more details.`;
}

/** Iterating a binary file: lines end after each \n. */
const binaryLines = (text: string) => text.split(/(?<=\n)/).filter((line) => line !== '');

export interface LimitsEdit {
  content: string;
  changed: boolean;
  msg: string;
}

export function editLimits(text: string, wants: LimitWants, path: string): LimitsEdit {
  const { domain, type, item, value, useMax, useMin } = wants;
  let comment = wants.comment;
  let changed = false;
  let message = '';
  let found = false;
  let newValue = value;
  const out: string[] = [];
  const limitLine = () => {
    if (comment) comment = `\t#${comment}`;
    return `${domain}\t${type}\t${item}\t${newValue}${comment}\n`;
  };
  for (const line of binaryLines(text)) {
    if (line.startsWith('#')) {
      out.push(line);
      continue;
    }
    let squeezed = stripPy(line.replace(WHITESPACE_RUN, ' '), null, true, true);
    if (!squeezed) {
      out.push(line);
      continue;
    }
    squeezed = squeezed.split('#')[0] as string;
    const hash = line.indexOf('#');
    const oldComment = hash < 0 ? '' : line.slice(hash + 1);
    squeezed = stripPy(squeezed, null, false, true);
    if (!comment) comment = oldComment;
    const fields = squeezed.split(' ');
    if (fields.length !== 4) {
      out.push(line);
      continue;
    }
    const [lineDomain, lineType, lineItem, actual] = fields as [string, string, string, string];
    const invalid = invalidValueMessage(lineItem, actual, `Invalid configuration found in '${path}'.`);
    if (invalid !== null) throw new LimitsFailure(invalid);
    if (lineDomain !== domain || lineType !== type || lineItem !== item) {
      out.push(line);
      continue;
    }
    found = true;
    if (value === actual) {
      message = line;
      out.push(line);
      continue;
    }
    // The module tests the line's type (soft, hard, -) here, never nice or priority.
    const actualUnlimited = UNLIMITED.includes(actual);
    const valueUnlimited = UNLIMITED.includes(value);
    if (useMax) {
      if (actualUnlimited) newValue = actual;
      else if (valueUnlimited) newValue = value;
      else newValue = String(maxOf(value, actual, (a, b) => a > b));
    }
    if (useMin) {
      if (actualUnlimited && valueUnlimited) newValue = actual;
      else if (actualUnlimited) newValue = value;
      else if (valueUnlimited) newValue = actual;
      else newValue = String(maxOf(value, actual, (a, b) => a < b));
    }
    if (newValue !== actual) {
      changed = true;
      message = limitLine();
      out.push(message);
    } else {
      message = line;
      out.push(line);
    }
  }
  if (!found) {
    changed = true;
    message = limitLine();
    out.push(message);
  }
  return { content: out.join(''), changed, msg: message };
}

/** max() or min() of the two ints: the first wins a tie, as Python's do. */
function maxOf(value: string, actual: string, better: (a: bigint, b: bigint) => boolean): bigint {
  const a = pyInt(value);
  const b = pyInt(actual);
  if (a === null || b === null) throw new LimitsFailure(`fleet's pam_limits cannot compare ${strRepr(value)} with ${strRepr(actual)} as numbers`);
  return better(b, a) ? b : a;
}
