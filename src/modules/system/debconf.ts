import { ShlexError, shlexSplit } from '../../shell/shlex.js';
import { splitLines, stripPy } from '../../template/python/text.js';
import { PyDict } from '../../template/values.js';
import type { Args, ArgSpec } from '../argspec.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { moduleFailure } from './module-failure.js';
import { ModuleExit, runCommand } from './run-command.js';

// modules/debconf.py main() (ansible-core 2.14: `value` is not no_log, multiselect values are compared as written)
const spec: ArgSpec = {
  options: {
    name: { type: 'str', required: true, aliases: ['pkg'] },
    question: { type: 'str', aliases: ['selection', 'setting'] },
    vtype: { type: 'str', choices: ['boolean', 'error', 'multiselect', 'note', 'password', 'seen', 'select', 'string', 'text', 'title'] },
    value: { type: 'str', aliases: ['answer'] },
    unseen: { type: 'bool', default: false },
  },
  requiredTogether: [['question', 'vtype', 'value']],
};

const strip = (text: string, chars: string | null = null): string => stripPy(text, chars, true, true);

/**
 * get_selections: `debconf-show NAME` (run_command of the joined string, so the name is
 * shlex-split into packages), each line `QUESTION: VALUE` with the seen mark `*` taken off;
 * debconf-show prints `(password omitted)` for a password.
 */
async function selections(ctx: ModuleContext, name: string): Promise<Map<string, string>> {
  const words = shlexSplit(`debconf-show ${name}`).slice(1);
  const shown = await runCommand(ctx, { program: 'debconf-show', words, readOnly: true });
  if (shown.rc !== 0) throw new ModuleExit({ failed: true, changed: false, msg: shown.stderr });
  const found = new Map<string, string>();
  for (const line of splitLines(shown.stdout, false)) {
    const colon = line.indexOf(':');
    // `(key, value) = line.split(':', 1)` of a line without a colon raises.
    if (colon < 0) throw new ModuleExit(moduleFailure({ stdout: '', stderr: 'ValueError: not enough values to unpack (expected 2, got 1)\n', rc: 1 }));
    found.set(strip(strip(line.slice(0, colon), '*')), strip(line.slice(colon + 1)));
  }
  return found;
}

/** set_selection: `PKG QUESTION VTYPE VALUE` to debconf-set-selections, a boolean's True/False written in lower case. */
async function setSelection(ctx: ModuleContext, args: Args, question: string, vtype: string, value: string): Promise<string> {
  const written = vtype === 'boolean' && (value === 'True' || value === 'False') ? value.toLowerCase() : value;
  const words = args.get('unseen') === true ? ['-u'] : [];
  const set = await runCommand(ctx, { program: 'debconf-set-selections', words, data: [args.get('name'), question, vtype, written].join(' ') });
  if (set.rc !== 0) throw new ModuleExit({ failed: true, changed: false, msg: set.stderr });
  return set.stdout;
}

const dict = (entries: Iterable<[string, string]>): PyDict => new PyDict(entries);

async function configure(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const question = args.get('question') as string | null;
  const vtype = args.get('vtype') as string | null;
  let value = args.get('value') as string | null;
  const previous = await selections(ctx, args.get('name') as string);
  if (question === null) return { changed: false, msg: '', current: dict(previous) };
  if (vtype === null || value === null) return { failed: true, changed: false, msg: 'when supplying a question you must supply a valid vtype and value' };
  const existing = previous.get(question);
  let changed = existing === undefined;
  if (existing !== undefined) {
    // Booleans are compared as debconf writes them (true/false), and the lowered value is what is set.
    if (vtype === 'boolean') value = value.toLowerCase();
    changed = value !== (vtype === 'boolean' ? existing.toLowerCase() : existing);
  }
  if (!changed) return { changed: false, msg: '', current: dict(previous) };
  const msg = ctx.check ? '' : await setSelection(ctx, args, question, vtype, value);
  // The whole of what debconf-show printed when the question was not among it, with the question as ''.
  const before = existing === undefined ? dict([...previous, [question, '']]) : dict([[question, existing]]);
  const after = new PyDict([...before, [question, value]]);
  // A diff of dicts, which the callback shows as their YAML or JSON text.
  const result: Record<string, unknown> = { changed: true, msg, current: dict([[question, value]]), previous: before, diff: ctx.diff ? { before, after } : {} };
  return result;
}

export const debconf: ModuleDef = {
  name: 'debconf',
  spec,
  supportsCheckMode: true,
  async run(args, ctx) {
    try {
      return await configure(args, ctx);
    } catch (error) {
      if (error instanceof ModuleExit) return error.result;
      // run_command's shlex.split of the joined command raises on an unbalanced quote.
      if (error instanceof ShlexError) return moduleFailure({ stdout: '', stderr: `ValueError: ${error.message}\n`, rc: 1 });
      throw error;
    }
  },
};
