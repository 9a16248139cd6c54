/**
 * Regexes with Unicode property classes (`\p{L}`…), which Python's Unicode-aware `\w` and
 * identifiers need, without their cost on every start: V8 builds each property class from
 * ICU's tables whenever it parses the pattern — when the regex is created, when it is first
 * compiled, and again when it gets hot — about a millisecond for `[\p{L}\p{N}_]`.
 */

const NON_ASCII = /[^\x00-\x7f]/;

/** The regex `create` makes, made on first use, so that loading its module parses nothing. */
export function lazyRegExp(create: () => RegExp): () => RegExp {
  let regexp: RegExp | undefined;
  return () => (regexp ??= create());
}

/**
 * `unicode` run as `ascii` on ASCII text. `ascii` must match exactly what `unicode` matches
 * in ASCII text (`[A-Za-z0-9_]` for `[\p{L}\p{N}_]`); `unicode` is created when a text first
 * holds another character.
 */
export function asciiFirst(ascii: RegExp, unicode: () => RegExp): (text: string) => RegExpExecArray | null {
  return (text) => (NON_ASCII.test(text) ? unicode() : ascii).exec(text);
}

/**
 * A sticky `[first][rest]*` pattern (a name) matched at `pos`, as `ascii` unless the
 * character that ends the ASCII match (or stops it from starting) is not ASCII: up to there
 * both patterns agree when `ascii`'s classes are `unicode`'s ASCII members.
 */
export function asciiFirstName(ascii: RegExp, unicode: () => RegExp): (text: string, pos: number) => RegExpExecArray | null {
  return (text, pos) => {
    ascii.lastIndex = pos;
    const match = ascii.exec(text);
    const end = pos + (match?.[0].length ?? 0);
    if (end >= text.length || text.charCodeAt(end) < 0x80) return match;
    const regexp = unicode();
    regexp.lastIndex = pos;
    return regexp.exec(text);
  };
}

// The ASCII members of all these classes are letters, digits and `_`.

/** A Python identifier at `pos` (str.isidentifier, Jinja2's name token). */
export const identifierAt = asciiFirstName(/[A-Za-z_][A-Za-z0-9_]*/y, lazyRegExp(() => /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*/uy));

/** A letter or `_` and then Python's Unicode `\w` characters, at `pos`: a name in a Python literal. */
export const wordAt = asciiFirstName(/[A-Za-z_][A-Za-z0-9_]*/y, lazyRegExp(() => /[\p{L}_][\p{L}\p{N}_]*/uy));
