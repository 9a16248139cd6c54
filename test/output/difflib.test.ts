import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitLinesKeepEnds, unifiedDiff } from '../../src/output/difflib.js';

// Deterministic pseudo-random texts, so cases are reproducible and cover popular lines (n ≥ 200).
function makeText(seed: number, lines: number, alphabet: number): string {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
  return Array.from({ length: lines }, () => `line ${next() % alphabet}\n`).join('');
}

function mutate(text: string, seed: number): string {
  const lines = splitLinesKeepEnds(text);
  let state = seed;
  const out: string[] = [];
  for (const line of lines) {
    state = (state * 69069 + 1) % 4294967296;
    const roll = state % 10;
    if (roll === 0) continue;
    if (roll === 1) out.push(`changed ${state % 7}\n`);
    out.push(line);
  }
  return out.join('');
}

const cases = [
  ['', 'a\n'],
  ['a\n', ''],
  ['a\nb\nc\n', 'a\nB\nc\n'],
  ['x\n', 'x'],
  ...[1, 2, 3, 4, 5, 6].map((seed) => {
    const before = makeText(seed, seed < 4 ? 40 : 260, seed < 4 ? 12 : 5);
    return [before, mutate(before, seed)];
  }),
] as [string, string][];

// Expected hunks come from CPython's difflib itself (Debian's python3, the one Ansible runs on).
const python = '/usr/bin/python3';

describe.skipIf(!existsSync(python))('unifiedDiff matches difflib.unified_diff', () => {
  it.each(cases.map((pair, index) => [index, ...pair]))('case %i', (_index, before, after) => {
    const script =
      'import difflib,json,sys; a,b=json.load(sys.stdin); ' +
      "sys.stdout.write(''.join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), fromfile='before', tofile='after', n=3)))";
    const expected = execFileSync(python, ['-c', script], { input: JSON.stringify([before, after]) }).toString();
    const actual = unifiedDiff(splitLinesKeepEnds(before as string), splitLinesKeepEnds(after as string), 'before', 'after').join('');
    expect(actual).toBe(expected);
  });
});
