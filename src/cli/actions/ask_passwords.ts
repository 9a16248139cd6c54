import type { ApplyOptions } from '../../executor/run_playbooks.js';
import { askHidden, PromptEndOfFile } from '../../vault/prompt.js';
import type { PasswordSources } from '../apply.js';
import { passwordFromFile } from '../password_file.js';

/**
 * CLI.ask_passwords: the connection password (-k or its file), then the become password (-K or
 * its file), where -K's empty answer after -k means the SSH password. Both are masked wherever
 * they could show; an empty answer is no password, and so is the end of input, which also ends
 * the asking.
 */
export async function askPasswords(sources: PasswordSources, options: ApplyOptions): Promise<void> {
  const answers: { connection?: string; become?: string } = {};
  try {
    await ask(sources, answers);
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

async function ask(sources: PasswordSources, answers: { connection?: string; become?: string }): Promise<void> {
  let becomePrompt = 'BECOME password: ';
  if (sources.askPass) {
    answers.connection = await askHidden('SSH password: ', 'SSH password');
    becomePrompt = 'BECOME password[defaults to SSH password]: ';
  } else if (sources.connectionPasswordFile !== undefined) {
    answers.connection = passwordFromFile(sources.connectionPasswordFile);
  }
  if (sources.askBecomePass) {
    const become = await askHidden(becomePrompt, 'become password');
    answers.become = sources.askPass && become === '' ? answers.connection : become;
  } else if (sources.becomePasswordFile !== undefined) {
    answers.become = passwordFromFile(sources.becomePasswordFile);
  }
}
