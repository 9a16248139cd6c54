import type { ApplyOptions } from '../../executor/run_playbooks.js';
import { askHidden, PromptEndOfFile } from '../../vault/prompt.js';
import type { ApplyFlags } from '../apply.js';
import { passwordFromFile } from '../password_file.js';

/**
 * CLI.ask_passwords: the connection password (-k or its file), then the become password (-K or
 * its file), where -K's empty answer after -k means the SSH password. Both are masked wherever
 * they could show; an empty answer is no password, and so is the end of input, which also ends
 * the asking.
 */
export async function askPasswords(flags: ApplyFlags, options: ApplyOptions): Promise<void> {
  const answers: { connection?: string; become?: string } = {};
  try {
    await ask(flags, answers);
  } catch (error) {
    if (!(error instanceof PromptEndOfFile)) throw error;
  }
  if (answers.connection) {
    options.secrets.add(answers.connection);
    options.connection.password = answers.connection;
  }
  if (answers.become) {
    options.secrets.add(answers.become);
    options.become.password = answers.become;
  }
}

async function ask(flags: ApplyFlags, answers: { connection?: string; become?: string }): Promise<void> {
  let becomePrompt = 'BECOME password: ';
  if (flags.askPass) {
    answers.connection = await askHidden('SSH password: ', 'SSH password');
    becomePrompt = 'BECOME password[defaults to SSH password]: ';
  } else if (flags.connectionPasswordFile !== undefined) {
    answers.connection = passwordFromFile(flags.connectionPasswordFile);
  }
  if (flags.askBecomePass) {
    const become = await askHidden(becomePrompt, 'become password');
    answers.become = flags.askPass && become === '' ? answers.connection : become;
  } else if (flags.becomePasswordFile !== undefined) {
    answers.become = passwordFromFile(flags.becomePasswordFile);
  }
}
