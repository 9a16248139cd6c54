import { universalNewlines } from './text-edit.js';

/**
 * community.general 6.6's ini_file do_ini() on the file's text, line for line: its own
 * section and option matching (prefix matches, commented `#opt = x` lines count as the
 * option, a missing section appended at the end), not an INI parser.
 */

export interface IniWants {
  section: string | null;
  option: string | null;
  /** [value], or values. */
  values: string[];
  present: boolean;
  exclusive: boolean;
  noExtraSpaces: boolean;
  allowNoValue: boolean;
}

export interface IniEdit {
  /** The text as the module read it (io.open's utf-8-sig and universal newlines). */
  before: string;
  after: string;
  changed: boolean;
  msg: string;
}

export class IniNoOptionError extends Error {
  constructor() {
    super('TypeError: decoding to str: need a bytes-like object, NoneType found');
  }
}

/** do_ini's fake first section, named so that it matches no other. */
const FAKE_SECTION = 'ad01e11446efb704fcdbdb21f2c43757423d91c5';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * match_opt (commented lines too) or match_active_opt: re.match of
 * `[#;]?( |\t)*(OPT)( |\t)*(=|$)( |\t)*(.*)`. Python's `$` also matches before a final
 * newline and its `.` stops only at `\n`; the value is the match's group 6.
 */
function optionValue(option: string, line: string, commentedToo: boolean): string | null {
  const pattern = new RegExp(`^${commentedToo ? '[#;]?' : ''}[ \\t]*${escapeRegExp(option)}[ \\t]*(?:=|(?=\\n?$))[ \\t]*([^\\n]*)`);
  const match = pattern.exec(line);
  return match ? (match[1] as string) : null;
}

/** non_blank_non_comment_pattern (which, despite its name, matches blank and comment lines). */
const BLANK_OR_COMMENT = /^[ \t]*(?:[#;][^\n]*)?\n?$/;

/** `readlines()` of the file opened in text mode with encoding utf-8-sig. */
export function iniLines(text: string): string[] {
  const read = universalNewlines(text.replace(/^\uFEFF/, ''));
  return read.split(/(?<=\n)/).filter((line) => line !== '');
}

export function editIni(text: string, wants: IniWants): IniEdit {
  const { option, present, exclusive, allowNoValue } = wants;
  const values = wants.values.filter((value, index) => wants.values.indexOf(value) === index);
  const lines = iniLines(text);
  const before = lines.join('');
  let changed = false;
  let msg = 'OK';
  if (lines.length === 0) lines.push('\n');
  const lastLine = lines[lines.length - 1] as string;
  if (!lastLine.endsWith('\n')) {
    lines[lines.length - 1] = `${lastLine}\n`;
    changed = true;
  }
  lines.unshift(`[${FAKE_SECTION}]`);
  lines.push('[');
  const section = wants.section ? wants.section : FAKE_SECTION;
  const format = (value: string) => (wants.noExtraSpaces ? `${option}=${value}\n` : `${option} = ${value}\n`);

  let withinSection = false;
  let sectionStart = 0;
  let sectionEnd = 0;
  for (const [index, line] of lines.entries()) {
    if (line.startsWith(`[${section}]`)) {
      withinSection = true;
      sectionStart = index;
    } else if (line.startsWith('[') && withinSection) {
      sectionEnd = index;
      break;
    }
  }
  const head = lines.slice(0, sectionStart);
  let sectionLines = lines.slice(sectionStart, sectionEnd);
  const tail = lines.slice(sectionEnd);
  const changedLines = sectionLines.map(() => false);
  const update = (index: number, newline: string) => {
    if (sectionLines[index] !== newline) {
      changed = true;
      msg = 'option changed';
    }
    sectionLines[index] = newline;
    changedLines[index] = true;
  };
  const matches = (line: string) => {
    // match_opt's re.escape(None) raises: the module dies on a section's first line without an option.
    if (option === null) throw new IniNoOptionError();
    return optionValue(option, line, true) !== null;
  };

  let optionNoValuePresent = false;
  if (present && option) {
    for (const [index, line] of sectionLines.entries()) {
      const value = optionValue(option, line, true);
      if (value === null) continue;
      if (values.length > 0 && values.includes(value)) {
        if (!value && allowNoValue) {
          update(index, `${option}\n`);
          optionNoValuePresent = true;
        } else {
          update(index, format(value));
        }
        values.splice(values.indexOf(value), 1);
      } else if (values.length === 0 && allowNoValue) {
        update(index, `${option}\n`);
        optionNoValuePresent = true;
        break;
      }
    }
  }

  if (present && exclusive && !allowNoValue) {
    if (values.length > 0) {
      for (const [index, line] of sectionLines.entries()) {
        if (!changedLines[index] && matches(line)) {
          update(index, format(values.shift() as string));
          if (values.length === 0) break;
        }
      }
    }
    for (let index = sectionLines.length - 1; index > 0; index--) {
      if (!changedLines[index] && matches(sectionLines[index] as string)) {
        sectionLines.splice(index, 1);
        changedLines.splice(index, 1);
        changed = true;
        msg = 'option changed';
      }
    }
  }

  if (present) {
    for (let index = sectionLines.length; index > 0; index--) {
      if (BLANK_OR_COMMENT.test(sectionLines[index - 1] as string)) continue;
      if (option && values.length > 0) {
        sectionLines.splice(index, 0, ...values.map(format));
        msg = 'option added';
        changed = true;
      } else if (option && values.length === 0 && allowNoValue && !optionNoValuePresent) {
        sectionLines.splice(index, 0, `${option}\n`);
        msg = 'option added';
        changed = true;
      }
      break;
    }
  } else if (option) {
    const kept = sectionLines.filter((line) => {
      const value = optionValue(option, line, false);
      return value === null || (!exclusive && !values.includes(value));
    });
    if ((exclusive || values.length > 0) && kept.length !== sectionLines.length) {
      changed = true;
      msg = 'option changed';
      sectionLines = kept;
    }
  } else if (sectionLines.length > 0) {
    sectionLines = [];
    msg = 'section removed';
    changed = true;
  }

  const result = [...head, ...sectionLines, ...tail].slice(1, -1);
  if (!withinSection && present) {
    result.push(`[${section}]\n`);
    msg = 'section and option added';
    if (option && values.length > 0) result.push(...values.map(format));
    else if (option && allowNoValue) result.push(`${option}\n`);
    else msg = 'only section added';
    changed = true;
  }
  return { before, after: result.join(''), changed, msg };
}
