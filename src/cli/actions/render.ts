import { renderPlaybooks } from '../../render/index.js';
import { renderJson, renderText } from '../../render/format.js';
import { applyOptionsFrom, optionsOrError } from '../apply.js';
import type { RenderFlags } from '../render.js';
import { deprecateOnStderr, warnOnStderr } from '../warn.js';

/** `fleet render`: the shell each task would send, secrets masked. */
export async function renderAction(playbooks: string[], flags: RenderFlags): Promise<void> {
  const options = optionsOrError(() => applyOptionsFrom(playbooks, { ...flags, tags: [], skipTags: [], verbose: 0 }, process.env, process.cwd(), warnOnStderr, deprecateOnStderr));
  // Vault plaintexts the run decrypts join options.secrets, which render masks.
  const result = await renderPlaybooks(options);
  process.stdout.write(flags.json ? renderJson(result) : renderText(result));
  process.exitCode = result.exitCode;
}
