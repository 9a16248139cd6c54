import { expandTabs } from '../../python/expandtabs.js';
import { stripPy } from '../../python/text.js';

/** The line breaks PyYAML and libyaml know: a str holding one is written as a literal block by the callbacks' dumper. */
export const hasYamlBreak = (text: string): boolean => /[\n\x85\u2028\u2029]/.test(text);

/** The characters libyaml's analyze_scalar calls special (they force double quotes). */
function isYamlSpecial(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  const allowed =
    c === 10 || (c >= 32 && c <= 126) || c === 133 || (c >= 160 && c <= 55295) || (c >= 57344 && c <= 65533) || (c >= 65536 && c < 1114111);
  return !allowed || c === 65279;
}

/**
 * callback/__init__.py _munge_data_for_lossy_yaml: what the default callback does to a
 * multi-line str so that libyaml lets it be a literal block, trading exactness for
 * readability: trailing whitespace and special characters dropped, tabs expanded, spaces
 * before a line break removed.
 */
export function mungeForLossyYaml(text: string): string {
  const expanded = expandTabs(stripPy(text, null, false, true), 8);
  const filtered = Array.from(expanded)
    .filter((ch) => !isYamlSpecial(ch))
    .join('');
  return filtered.replace(/ +([\n\x85\u2028\u2029])/g, '$1');
}
