import { formatProblem, validateProject } from '../../validate/index.js';
import { EXIT } from '../main.js';
import type { ValidateFlags } from '../validate.js';

/** `fleet validate`: every problem found without a host, one file:line:col line each. */
export function validateAction(paths: string[], flags: ValidateFlags): void {
  const cwd = process.cwd();
  const started = performance.now();
  const result = validateProject({ paths, cwd, inventory: flags.inventory, extraVars: flags.extraVars, env: process.env });
  for (const problem of result.problems) process.stdout.write(`${formatProblem(problem, cwd)}\n`);
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (result.problems.length > 0) {
    process.stderr.write(`${result.problems.length} problem(s) in ${result.files} files (${seconds} s)\n`);
    process.exitCode = EXIT.error;
  } else {
    process.stdout.write(`ok: ${result.files} files valid (${seconds} s)\n`);
  }
}
