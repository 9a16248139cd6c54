import { colorEnabled, stringc, type ColorName } from '../output/colors.js';
import { wrapText } from '../output/textwrap.js';

/**
 * Display.warning for what a command prints before its run's output exists (options and
 * settings): `[WARNING]: …` wrapped with textwrap at the terminal's width less one, and at 79
 * columns without a terminal, as the run's own warnings are; coloured line by line, as
 * Ansible's stringc colours, when the output is coloured.
 */
export function warnOnStderr(message: string): void {
  printOnStderr(wrapText(`[WARNING]: ${message}`, displayColumns()), 'warn');
}

/**
 * Display.deprecated for a deprecated setting: `[DEPRECATION WARNING]: …` wrapped as a
 * warning is but keeping the spaces at line ends (textwrap's drop_whitespace=False), then
 * stripped as a whole, in COLOR_DEPRECATE.
 */
export function deprecateOnStderr(message: string): void {
  printOnStderr(wrapText(`[DEPRECATION WARNING]: ${message}`, displayColumns(), false).join('\n').trim().split('\n'), 'deprecate');
}

function displayColumns(): number {
  return Math.max(79, (process.stdout.isTTY ? process.stdout.columns : 0) - 1);
}

function printOnStderr(lines: string[], color: ColorName): void {
  const colored = colorEnabled(process.stdout, process.env);
  process.stderr.write(`${lines.map((line) => stringc(line, color, colored)).join('\n')}\n`);
}
