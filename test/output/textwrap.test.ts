import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wrapText } from '../../src/output/textwrap.js';

const WARNING = '[WARNING]: conditional statements should not include jinja2 templating delimiters such as {{ }} or {% %}. Found: "{{ foo }}" == "bar"';
const TEXTS = [
  WARNING,
  '[WARNING]: Could not match supplied host pattern, ignoring: web-servers-long-hyphenated-group-name-here',
  `[WARNING]: ${'x'.repeat(200)}`,
  '[WARNING]: a well-known self-contained multi-word-hyphenated phrase that goes on and on beyond the width of the line',
  'short',
  '  leading spaces and\ttabs\nand newlines   in    between words that wrap around the line width of seventy-nine columns',
  'em--dash between words--and more -- spaced dashes ---- and a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s-t-u-v-w-x-y-z-a-b-c-d-e-f-g-h-i-j',
  'unicode: café naïve résumé straße — ünïcödé-wörds-with-hyphens-that-are-long and 漢字かな交じり文 text with no spaces 漢字かな交じり文漢字かな交じり文漢字かな交じり文漢字かな交じり文',
  `/very/long/path/${'segment/'.repeat(20)}file.yml: and then some words`,
  'numbers-123-456 and 12-34 x-1 1-x ab-cd --option-name=value -x --y',
];

describe("wrapText: Python's textwrap.wrap", () => {
  it('wraps as textwrap.wrap(text, width) does, at Ansible warning width and others', () => {
    for (const width of [79, 40, 12]) {
      const python = JSON.parse(
        execFileSync('python3', ['-c', 'import json,sys,textwrap; w=int(sys.argv[1]); print(json.dumps([textwrap.wrap(t, w) for t in json.load(sys.stdin)]))', String(width)], {
          input: JSON.stringify(TEXTS),
          encoding: 'utf8',
        }),
      ) as string[][];
      TEXTS.forEach((text, index) => expect(wrapText(text, width), `${width}: ${text}`).toEqual(python[index]));
    }
  });
});
