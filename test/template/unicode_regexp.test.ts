import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiFirst, identifierAt, lazyRegExp, wordAt } from '../../src/template/unicode_regexp.js';
import { literalEval } from '../../src/template/runtime/literal.js';
import { Templar } from '../../src/template/index.js';
import { PyDict } from '../../src/template/values.js';

/** The Unicode patterns the ASCII-first matchers stand for: what they must agree with everywhere. */
const IDENTIFIER = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy;
const WORD = /[\p{L}_][\p{L}\p{N}_]*/uy;

// ASCII of every kind, and one non-ASCII character of each class the patterns name (and one of none).
const CHARS = ['a', 'Z', '_', '0', '9', ' ', '-', '.', '{', '\n', 'é', 'ß', 'Ⅳ', '\u0301', '\u0903', '٣', '‿', '²', '→'];
const texts = fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }).map((chars) => chars.join(''));

const stickyMatch = (regexp: RegExp, text: string, pos: number) => {
  regexp.lastIndex = pos;
  return regexp.exec(text)?.[0] ?? null;
};

describe('ASCII-first Unicode regexes', () => {
  it('match a name wherever the Unicode pattern does, and only there', () => {
    fc.assert(
      fc.property(texts, fc.nat(12), (text, at) => {
        const pos = Math.min(at, text.length);
        expect(identifierAt(text, pos)?.[0] ?? null).toBe(stickyMatch(IDENTIFIER, text, pos));
        expect(wordAt(text, pos)?.[0] ?? null).toBe(stickyMatch(WORD, text, pos));
      }),
      { numRuns: 3000 },
    );
  });

  it('run the Unicode pattern, built on first use, when the text is not ASCII', () => {
    let built = 0;
    const group = asciiFirst(/^([a-z]+)$/, lazyRegExp(() => (built++, /^(\p{L}+)$/u)));
    expect(group('abc')?.[1]).toBe('abc');
    expect(group('ab-c')).toBeNull();
    expect(built).toBe(0);
    expect(group('äbc')?.[1]).toBe('äbc');
    expect(group('äb-c')).toBeNull();
    expect(built).toBe(1);
  });

  it('leave Unicode names to templates and literals as Python reads them', () => {
    const templar = new Templar({ vars: new PyDict([['größe', 3], ['x²', 'no']]) });
    expect(templar.template('{{ größe }}')).toBe(3);
    expect(templar.template('{{ größe + 1 }}')).toBe('4');
    // `²` is a digit to Python's \w but no identifier character.
    expect(() => templar.template('{{ x² }}')).toThrow("unexpected char '²' at 4");
    // A name (no literal) and a number run into a word are not literals.
    expect(literalEval('Ⅳ')).toBeUndefined();
    expect(literalEval('1é')).toBeUndefined();
    expect(literalEval('1 ')).toBe(1);
  });
});
