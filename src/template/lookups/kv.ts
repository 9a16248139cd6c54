/** Ansible's `parse_kv` for `key=value` words (quotes removed from values). */
export function parseKv(term: string): Map<string, string> {
  const options = new Map<string, string>();
  const raw: string[] = [];
  for (const word of term.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? []) {
    const eq = word.indexOf('=');
    if (eq < 0) raw.push(word);
    else options.set(word.slice(0, eq).trim(), word.slice(eq + 1).trim().replace(/^(["'])(.*)\1$/s, '$2'));
  }
  if (raw.length > 0) options.set('_raw_params', raw.join(' '));
  return options;
}
