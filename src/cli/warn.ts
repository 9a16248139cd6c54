import { colorEnabled, stringc } from '../output/colors.js';
import { wrapText } from '../output/textwrap.js';

/**
 * Display.warning for what a command prints before its run's output exists (options and
 * settings): `[WARNING]: …` wrapped with textwrap at the terminal's width less one, and at 79
 * columns without a terminal, as the run's own warnings are; coloured line by line, as
 * Ansible's stringc colours, when the output is coloured.
 */
export function warnOnStderr(message: string): void {
  const columns = Math.max(79, (process.stdout.isTTY ? process.stdout.columns : 0) - 1);
  const color = colorEnabled(process.stdout, process.env);
  const lines = wrapText(`[WARNING]: ${message}`, columns).map((line) => stringc(line, 'warn', color));
  process.stderr.write(`${lines.join('\n')}\n`);
}
