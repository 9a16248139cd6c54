/**
 * The advice AnsibleError._get_extended_error adds under the offending line
 * (lib/ansible/errors/__init__.py and yaml_strings.py, ansible-core 2.14): chosen by looking
 * at the line's text only, so it follows any error that shows a line, a task's undefined
 * variable included. `line` is the line as Python's readlines gives it, newline and all.
 */

const UNQUOTED_VARIABLE = `We could be wrong, but this one looks like it might be an issue with
missing quotes. Always quote template expression brackets when they
start a value. For instance:

    with_items:
      - {{ foo }}

Should be written as:

    with_items:
      - "{{ foo }}"
`;

const DICT = `This one looks easy to fix. YAML thought it was looking for the start of a
hash/dictionary and was confused to see a second "{". Most likely this was
meant to be an ansible template evaluation instead, so we have to give the
parser a small hint that we wanted a string instead. The solution here is to
just quote the entire value.

For instance, if the original line was:

    app_path: {{ base_path }}/foo

It should be written as:

    app_path: "{{ base_path }}/foo"
`;

const UNQUOTED_COLON = `This one looks easy to fix. There seems to be an extra unquoted colon in the line
and this is confusing the parser. It was only expecting to find one free
colon. The solution is just add some quotes around the colon, or quote the
entire line after the first colon.

For instance, if the original line was:

    copy: src=file.txt dest=/path/filename:with_colon.txt

It can be written as:

    copy: src=file.txt dest='/path/filename:with_colon.txt'

Or:

    copy: 'src=file.txt dest=/path/filename:with_colon.txt'
`;

const PARTIALLY_QUOTED = `This one looks easy to fix. It seems that there is a value started
with a quote, and the YAML parser is expecting to see the line ended
with the same kind of quote. For instance:

    when: "ok" in result.stdout

Could be written as:

   when: '"ok" in result.stdout'

Or equivalently:

   when: "'ok' in result.stdout"
`;

const UNBALANCED_QUOTES = `We could be wrong, but this one looks like it might be an issue with
unbalanced quotes. If starting a value with a quote, make sure the
line ends with the same set of quotes. For instance this arbitrary
example:

    foo: "bad" "wolf"

Could be written as:

    foo: '"bad" "wolf"'
`;

const LEADING_TAB = `There appears to be a tab character at the start of the line.

YAML does not use tabs for formatting. Tabs should be replaced with spaces.

For example:
    - name: update tooling
      vars:
        version: 1.2.3
#    ^--- there is a tab there.

Should be written as:
    - name: update tooling
      vars:
        version: 1.2.3
# ^--- all spaces here.
`;

/** Shown, instead of the usual lines, when the line before the error's holds `k=v` shorthand. */
export const SHORTHAND_AND_YAML = "There appears to be both 'k=v' shorthand syntax and YAML in this task. Only one syntax may be used.\n";

/** The `k=v` shorthand _get_extended_error looks for in the line before the error's. */
export const SHORTHAND_PATTERN = /\w+(\s+)?=(\s+)?[\w/-]+/;

const count = (text: string, char: string) => text.split(char).length - 1;
const quotes = ['"', "'"];

/** The advice for the error's `line` (newline included) at 1-based column `col`, or ''. */
export function remediationHints(line: string, col: number): string {
  let text = line.includes('\t') ? LEADING_TAB : '';
  if (line.includes('{{') && line.includes('}}') && (!line.includes('"{{') || !line.includes("'{{"))) return text + UNQUOTED_VARIABLE;
  if (line.replaceAll(' ', '').includes(':{{') && line.includes('}}')) return text + DICT;
  // Python's target_line[col_number]: the character after the error's column.
  if (line.length > 1 && line.length > col && line[col] === ':' && count(line, ':') > 1) return text + UNQUOTED_COLON;
  const parts = line.split(':');
  if (parts.length < 2) return text;
  const middle = (parts[1] ?? '').trim();
  const partlyQuoted = quotes.some((quote) => middle.startsWith(quote) && !middle.endsWith(quote));
  // As Python groups it: the `and`s bind first, so three double quotes anywhere are enough.
  const unbalanced = (middle.length > 0 && quotes.includes(middle[0] ?? '') && quotes.includes(middle.at(-1) ?? '') && count(line, "'") > 2) || count(line, '"') > 2;
  if (partlyQuoted) text += PARTIALLY_QUOTED;
  if (unbalanced) text += UNBALANCED_QUOTES;
  return text;
}
