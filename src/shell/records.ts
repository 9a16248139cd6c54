/**
 * How module scripts report back: records framed by a nonce the script gets in `$fleet_rec`
 * (fresh per script, so nothing a command prints can pass for a record):
 *
 *   \n<nonce> KEY\n<value bytes>\n<nonce>.\n
 *
 * Values go out as they are, so emitting one forks nothing (printf is a builtin in every sh);
 * only a file's or a pipe's content costs a `cat` (`fleet_emit_output KEY CMD…` frames a
 * command's output without one and leaves its status in `$fleet_output_rc`;
 * `fleet_emit_stdout_stderr OUT ERR` frames two files as `stdout` and `stderr` with one `cat`,
 * the framing between them coming from a here-document, and with none when both are empty). Keys get `$fleet_rec_prefix` in
 * front (fact families use it to keep their keys apart).
 */
export const EMIT_FUNCTIONS = `fleet_emit() { printf '\\n%s %s%s\\n%s\\n%s.\\n' "$fleet_rec" "$fleet_rec_prefix" "$1" "$2" "$fleet_rec"; }
fleet_emit_file() { printf '\\n%s %s%s\\n' "$fleet_rec" "$fleet_rec_prefix" "$1"; cat -- "$2"; printf '\\n%s.\\n' "$fleet_rec"; }
fleet_emit_stdin() { printf '\\n%s %s%s\\n' "$fleet_rec" "$fleet_rec_prefix" "$1"; cat; printf '\\n%s.\\n' "$fleet_rec"; }
fleet_emit_output() { fo_key=$1; shift; printf '\\n%s %s%s\\n' "$fleet_rec" "$fleet_rec_prefix" "$fo_key"; "$@"; fleet_output_rc=$?; printf '\\n%s.\\n' "$fleet_rec"; }
fleet_emit_stdout_stderr() {
  if ! [ -s "$1" ] && ! [ -s "$2" ]; then fleet_emit stdout ''; fleet_emit stderr ''; return 0; fi
  printf '\\n%s %sstdout\\n' "$fleet_rec" "$fleet_rec_prefix"
  cat -- "$1" - "$2" <<FLEET_BETWEEN_RECORDS

$fleet_rec.

$fleet_rec \${fleet_rec_prefix}stderr
FLEET_BETWEEN_RECORDS
  printf '\\n%s.\\n' "$fleet_rec"
}
fleet_rec='' fleet_rec_prefix=''
`;

/** Splits a script's stdout into its records (a key emitted several times has several values) and anything else. */
export function parseRecords(stdout: string, nonce: string): { fields: Map<string, string[]>; stray: string } {
  const open = `\n${nonce} `;
  // The newline after the closing nonce is optional: something may have trimmed the output's last one.
  const close = `\n${nonce}.`;
  const fields = new Map<string, string[]>();
  const outside: string[] = [];
  let position = 0;
  for (;;) {
    const start = stdout.indexOf(open, position);
    if (start < 0) break;
    const keyEnd = stdout.indexOf('\n', start + open.length);
    const end = keyEnd < 0 ? -1 : stdout.indexOf(close, keyEnd);
    if (end < 0) break;
    outside.push(stdout.slice(position, start));
    const key = stdout.slice(start + open.length, keyEnd);
    const values = fields.get(key) ?? [];
    values.push(stdout.slice(keyEnd + 1, end));
    fields.set(key, values);
    position = end + close.length + (stdout[end + close.length] === '\n' ? 1 : 0);
  }
  outside.push(stdout.slice(position));
  const stray = outside.join('\n').split('\n').filter((line) => line !== '');
  return { fields, stray: stray.join('\n') };
}
