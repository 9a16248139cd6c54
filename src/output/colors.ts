// Ansible's default colours (lib/ansible/config/base.yml COLOR_*) and stringc's ANSI codes.
export const COLORS = {
  ok: '0;32',
  changed: '0;33',
  skip: '0;36',
  error: '0;31',
  unreachable: '1;31',
  warn: '1;35',
  diffAdd: '0;32',
  diffRemove: '0;31',
  diffLines: '0;36',
  debug: '1;30',
  verbose: '0;34',
} as const;

export type ColorName = keyof typeof COLORS;

export function stringc(text: string, color: ColorName | null, enabled: boolean): string {
  if (!enabled || color === null) return text;
  return `\x1b[${COLORS[color]}m${text}\x1b[0m`;
}

/** Colour is on for a TTY unless NO_COLOR or ANSIBLE_NOCOLOR is set; ANSIBLE_FORCE_COLOR forces it. */
export function colorEnabled(stream: NodeJS.WriteStream | { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.ANSIBLE_FORCE_COLOR && env.ANSIBLE_FORCE_COLOR !== '0' && env.ANSIBLE_FORCE_COLOR.toLowerCase() !== 'false') return true;
  if (env.NO_COLOR !== undefined || (env.ANSIBLE_NOCOLOR && env.ANSIBLE_NOCOLOR !== '0')) return false;
  return stream.isTTY === true;
}
