import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { EMIT_FUNCTIONS, parseRecords } from '../../src/shell/records.js';

const nonce = 'fleet_rec_0123456789abcdef';

async function emitted(script: string): Promise<{ fields: Map<string, string[]>; stray: string }> {
  const { stdout } = await execa('sh', [], { input: `${EMIT_FUNCTIONS}fleet_rec=${nonce}\n${script}`, stripFinalNewline: false });
  return parseRecords(stdout, nonce);
}

describe('module records', () => {
  it('carry any text exactly: empty, newlines, quotes, trailing newlines', async () => {
    const { fields, stray } = await emitted(`fleet_emit empty ''
fleet_emit lines "a
b"
fleet_emit odd 'it'\\''s "x" $(y) \`z\` ; ok'
fleet_emit trailing "x

"
fleet_emit empty again`);
    expect(fields.get('empty')).toEqual(['', 'again']);
    expect(fields.get('lines')).toEqual(['a\nb']);
    expect(fields.get('odd')).toEqual(['it\'s "x" $(y) `z` ; ok']);
    expect(fields.get('trailing')).toEqual(['x\n\n']);
    expect(stray).toBe('');
  });

  it("frame a file's and a command's output, and a prefix names the keys", async () => {
    const { fields } = await emitted(`printf 'one\\ntwo' > "\${TMPDIR:-/tmp}/fleet-records-$$"
fleet_emit_file file "\${TMPDIR:-/tmp}/fleet-records-$$"
rm -f "\${TMPDIR:-/tmp}/fleet-records-$$"
fleet_rec_prefix=fam.
fleet_emit_output out printf 'x\\ny'
printf piped | fleet_emit_stdin piped`);
    expect(fields.get('file')).toEqual(['one\ntwo']);
    expect(fields.get('fam.out')).toEqual(['x\ny']);
    expect(fields.get('fam.piped')).toEqual(['piped']);
  });

  it("frame two files as stdout and stderr exactly (empty, no final newline, trailing newlines), and keep a framed command's status", async () => {
    const { fields, stray } = await emitted(`d=$(mktemp -d)
printf 'out\\n\\n' > "$d/o"; printf 'err' > "$d/e"; : > "$d/empty"
fleet_emit_stdout_stderr "$d/o" "$d/e"
fleet_rec_prefix=p.
fleet_emit_stdout_stderr "$d/empty" "$d/o"
fleet_emit_output status sh -c 'echo x; exit 3'
fleet_emit rc "$fleet_output_rc"
rm -rf "$d"`);
    expect(fields.get('stdout')).toEqual(['out\n\n']);
    expect(fields.get('stderr')).toEqual(['err']);
    expect(fields.get('p.stdout')).toEqual(['']);
    expect(fields.get('p.stderr')).toEqual(['out\n\n']);
    expect(fields.get('p.status')).toEqual(['x\n']);
    expect(fields.get('p.rc')).toEqual(['3']);
    expect(stray).toBe('');
  });

  it('leave what else the script printed as stray lines, and take no record without the nonce', async () => {
    const forged = `printf '\\n%s %s\\n%s\\n%s.\\n' fleet_rec_guess changed 1 fleet_rec_guess`;
    const { fields, stray } = await emitted(`echo before; printf 'no newline'; fleet_emit key value; echo after; ${forged}`);
    expect([...fields.keys()]).toEqual(['key']);
    expect(stray.split('\n')).toEqual(['before', 'no newline', 'after', 'fleet_rec_guess changed', '1', 'fleet_rec_guess.']);
  });

  it("accept output whose last newline was trimmed", () => {
    expect(parseRecords(`\n${nonce} k\nv\n${nonce}.`, nonce).fields.get('k')).toEqual(['v']);
  });
});
