/**
 * module_utils/basic.py heuristic_log_sanitize (without its no_log values, which fleet masks
 * everywhere else): `user:pass@host` and `scheme://user:pass@host` lose the password, as
 * `user:********@host`. Scanning from the last `@` back, as Ansible does, it also eats text
 * that only looks like a password; the same false positives keep the same output.
 */
export function heuristicLogSanitize(data: string): string {
  const output: string[] = [];
  let begin = data.length;
  let prevBegin = begin;
  for (;;) {
    const end = data.lastIndexOf('@', begin - 1);
    if (end < 0 || begin === 0) {
      output.unshift(data.slice(0, begin));
      break;
    }
    let sep = -1;
    let sepSearchEnd = end;
    for (;;) {
      // URL-style user and password: the `://` before the `@`; else ssh style, from the start.
      begin = sepSearchEnd >= 3 ? data.lastIndexOf('://', sepSearchEnd - 3) : -1;
      if (begin < 0) begin = 0;
      sep = data.indexOf(':', begin + 3);
      if (sep >= end) sep = -1;
      if (sep >= 0) break;
      if (begin === 0) break;
      sepSearchEnd = begin;
    }
    if (sep < 0) {
      output.unshift(data.slice(0, prevBegin));
      break;
    }
    output.unshift(data.slice(begin, sep + 1), '********', data.slice(end, prevBegin));
    prevBegin = begin;
  }
  return output.join('');
}
