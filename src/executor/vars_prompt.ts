import { isatty } from 'node:tty';
import { createInterface } from 'node:readline/promises';
import { toBool } from '../modules/argspec.js';
import type { Play } from '../playbook/model.js';
import { varsPromptEntries } from '../playbook/vars_prompt.js';
import { cryptPassword } from '../template/filters/crypt.js';
import type { Templar } from '../template/index.js';
import { pyStr } from '../template/python/index.js';
import { PyDict, PyUnsafe, type PyValue } from '../template/values.js';
import { askHidden } from '../vault/prompt.js';
import type { RunContext } from './context.js';

/**
 * PlaybookExecutor's vars_prompt, before the play runs: the entries templated with the play's
 * vars, then each variable the extra vars do not give is asked for (Display.do_var_prompt) and
 * set among the play's vars. Without a terminal on stdin nothing is asked: Ansible warns and
 * takes the default, or the text 'None' when there is none. A private answer joins the run's
 * secrets, which the history ledger masks (the output shows it where Ansible's does).
 */
export async function promptPlayVars(run: RunContext, play: Play, templar: Templar): Promise<void> {
  const entries = varsPromptEntries(templar.template(play.keywords.get('vars_prompt') ?? null));
  for (const entry of entries) {
    const name = pyStr(entry.get('name') ?? null);
    if (run.extraVars.has(name)) continue;
    play.vars.set(name, await askFor(run, name, entry));
  }
}

async function askFor(run: RunContext, name: string, entry: PyDict): Promise<PyValue> {
  const option = (key: string): PyValue | undefined => {
    const value = entry.get(key);
    return value === null ? undefined : value;
  };
  const prompt = option('prompt');
  const fallback = option('default');
  let answer: string | undefined;
  if (isatty(0)) {
    const message = prompt !== undefined && fallback !== undefined ? `${pyStr(prompt)} [${pyStr(fallback)}]: ` : prompt !== undefined ? `${pyStr(prompt)}: ` : `input for ${name}: `;
    const isPrivate = toBool(option('private') ?? true);
    answer = await ask(message, isPrivate);
    // Typed without echo, so a password: like a become password, it is masked in the history ledger.
    if (isPrivate && answer !== '') run.options.secrets?.add(answer);
    if (toBool(option('confirm') ?? false)) {
      while (answer !== (await ask(`confirm ${message}`, isPrivate))) {
        process.stdout.write('***** VALUES ENTERED DO NOT MATCH ****\n');
        answer = await ask(message, isPrivate);
      }
    }
  } else {
    run.events.warning('Not prompting as we are not in interactive mode');
  }
  let value: PyValue | undefined = answer === '' ? undefined : answer;
  if (value === undefined && fallback !== undefined) value = fallback;
  const encrypt = option('encrypt');
  if (encrypt !== undefined) {
    const salt = option('salt');
    const saltSize = option('salt_size');
    value = cryptPassword(pyStr(value ?? null), pyStr(encrypt), salt === undefined ? undefined : pyStr(salt), undefined, saltSize === undefined ? undefined : Number(pyStr(saltSize)));
  }
  const text = pyStr(value ?? null);
  return toBool(option('unsafe') ?? false) ? new PyUnsafe(text) : text;
}

/** Python's getpass for a private answer, input() (stdin, the prompt on stdout) otherwise. */
async function ask(message: string, isPrivate: boolean): Promise<string> {
  if (isPrivate) return askHidden(message, 'vars_prompt');
  const reader = createInterface({ input: process.stdin, output: process.stdout, terminal: false });
  try {
    return await reader.question(message);
  } finally {
    reader.close();
    process.stdin.pause();
  }
}
