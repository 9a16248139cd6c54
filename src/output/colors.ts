import { configBool } from '../config/config_bool.js';

// Ansible's default colours (lib/ansible/config/base.yml COLOR_*) and stringc's ANSI codes.
export const COLORS = {
  ok: '0;32',
  changed: '0;33',
  skip: '0;36',
  error: '0;31',
  unreachable: '1;31',
  warn: '1;35',
  deprecate: '0;35',
  diffAdd: '0;32',
  diffRemove: '0;31',
  diffLines: '0;36',
  debug: '1;30',
  verbose: '0;34',
} as const;

export type ColorName = keyof typeof COLORS;

/** utils/color.py stringc: each line coloured on its own (a text ending in a newline gets an empty coloured last line). */
export function stringc(text: string, color: ColorName | null, enabled: boolean): string {
  if (!enabled || color === null) return text;
  return text
    .split('\n')
    .map((line) => `\x1b[${COLORS[color]}m${line}\x1b[0m`)
    .join('\n');
}

/**
 * utils/color.py: colour is on for a TTY unless ANSIBLE_NOCOLOR is true, and on whenever
 * ANSIBLE_FORCE_COLOR is. Both are boolean settings (so NO_COLOR=x or ANSIBLE_NOCOLOR=false
 * leave colour on), and NO_COLOR, listed after ANSIBLE_NOCOLOR, beats it when both are set.
 */
export function colorEnabled(stream: NodeJS.WriteStream | { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (configBool(env.ANSIBLE_FORCE_COLOR, false)) return true;
  if (configBool(env.NO_COLOR ?? env.ANSIBLE_NOCOLOR, false)) return false;
  return stream.isTTY === true;
}
