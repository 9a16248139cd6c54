import { colorEnabled } from '../../output/colors.js';
import { rollback, type RollbackStatus } from '../../rollback/rollback.js';
import { applyOptionsFrom, optionsOrError } from '../apply.js';
import { EXIT } from '../main.js';
import type { RollbackFlags } from '../rollback.js';
import { deprecateOnStderr, warnOnStderr } from '../warn.js';

const EXIT_CODES: Record<RollbackStatus, number> = { ok: EXIT.ok, failed: EXIT.error, unreachable: EXIT.unreachable };

/** `fleet rollback`: restore the named wizards' snapshot through their deadman. */
export async function rollbackAction(flags: RollbackFlags): Promise<void> {
  const options = optionsOrError(() => applyOptionsFrom([], { ...flags, tags: [], skipTags: [], extraVars: [], verbose: 0 }, process.env, process.cwd(), warnOnStderr, deprecateOnStderr));
  const status = await rollback(
    options,
    { limit: flags.limit, check: flags.check === true, list: flags.list === true, ...(flags.to !== undefined ? { to: flags.to } : {}) },
    { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text), color: colorEnabled(process.stdout, process.env) },
  );
  process.exitCode = EXIT_CODES[status];
}
