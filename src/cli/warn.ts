import { wrapText } from '../output/textwrap.js';

/**
 * Display.warning for what a command prints before its run's output exists (options and
 * settings): `[WARNING]: …` wrapped with textwrap at the terminal's width less one, and at 79
 * columns without a terminal, as the run's own warnings are.
 */
export function warnOnStderr(message: string): void {
  const columns = Math.max(79, (process.stdout.isTTY ? process.stdout.columns : 0) - 1);
  process.stderr.write(`${wrapText(`[WARNING]: ${message}`, columns).join('\n')}\n`);
}
