// Python's shlex.quote, which Ansible uses for every value it puts in a command line: a
// string of only safe characters stays bare, anything else is single-quoted with `'`
// written as `'"'"'`.
const SAFE = /^[\w@%+=:,./-]+$/;

export function quote(value: string): string {
  if (value === '') return "''";
  if (SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}
