import { PyDict, type PyValue } from '../template/values.js';
import { one, type FactFamily } from './family.js';

/** system/cmdline.py: the kernel command line, as cmdline (last value wins) and proc_cmdline (repeats as a list). */
export const cmdlineFacts: FactFamily = {
  name: 'cmdline',
  collector: 'cmdline',
  files: { cmdline: '/proc/cmdline' },
  command: '',
  parse(output): Record<string, PyDict> {
    const data = one(output, 'cmdline').trim();
    if (!data) return {};
    const words = shlexSplitNonPosix(data);
    const cmdline = new PyDict();
    const procCmdline = new PyDict();
    for (const word of words) {
      const equals = word.indexOf('=');
      if (equals < 0) {
        cmdline.set(word, true);
        procCmdline.set(word, true);
        continue;
      }
      const [key, value] = [word.slice(0, equals), word.slice(equals + 1)];
      cmdline.set(key, value);
      const before = procCmdline.get(key);
      if (!procCmdline.has(key)) procCmdline.set(key, value);
      else if (Array.isArray(before)) before.push(value);
      else procCmdline.set(key, [before as PyValue, value]);
    }
    return { cmdline, proc_cmdline: procCmdline };
  },
};

/**
 * shlex.split(data, posix=False): words split on whitespace; a word that starts with a quote
 * runs to the matching quote, quotes kept. An unclosed quote is Python's ValueError, which
 * cmdline.py turns into an empty dict.
 */
function shlexSplitNonPosix(data: string): string[] {
  const words: string[] = [];
  const pattern = /\s*(?:(["'])[^]*?\1|(["'])|[^\s]+)/gy;
  for (let match = pattern.exec(data); match && match[0] !== ''; match = pattern.exec(data)) {
    if (match[2]) return [];
    words.push(match[0].trimStart());
  }
  return words;
}
