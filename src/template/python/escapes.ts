/**
 * Python's one-character string escapes (`\n`, `\t`, `\\`…), shared by everything that
 * reads Python-style string text: Jinja2 literals, literal_eval, and Ansible's k=v splitter.
 * A backslash before a newline continues the line (it reads as nothing).
 * https://docs.python.org/3/reference/lexical_analysis.html#escape-sequences
 */
export const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
