import type { Command } from 'commander';

/**
 * A command line the parser refuses exits 2 with a `<prog>: error: …` line, as argparse makes
 * ansible-playbook, ansible-inventory and ansible-vault do. Commander's own usage and help
 * follow the line instead of argparse's: they are the flags fleet takes.
 */
export const USAGE_ERROR_EXIT = 2;

/** `-f, --forks <n>` as argparse names an option: `-f/--forks`. */
function optionNames(flags: string): string {
  return flags
    .split(/[ ,|]+/)
    .filter((part) => part.startsWith('-'))
    .join('/');
}

/** `a, b` as argparse lists choices: `'a', 'b'`. */
function quotedList(commanderList: string): string {
  return commanderList
    .split(', ')
    .map((choice) => `'${choice}'`)
    .join(', ');
}

/** What argparse says where commander says this (the first line of its message). */
function argparseReason(commanderLine: string): string {
  const line = commanderLine.replace(/^error: /, '');
  let match = /^unknown option '(.*)'$/.exec(line);
  if (match) return `unrecognized arguments: ${match[1]}`;
  match = /^option '(.*)' argument missing$/.exec(line);
  if (match) return `argument ${optionNames(match[1] as string)}: expected one argument`;
  match = /^option '(.*)' argument '(.*)' is invalid\. Allowed choices are (.*)\.$/.exec(line);
  if (match) return `argument ${optionNames(match[1] as string)}: invalid choice: '${match[2]}' (choose from ${quotedList(match[3] as string)})`;
  match = /^unknown command '(.*)'$/.exec(line);
  if (match) return `argument command: invalid choice: '${match[1]}'`;
  match = /^option '(.*)' argument '.*' is invalid\. (.*)$/.exec(line);
  if (match) return `argument ${optionNames(match[1] as string)}: ${match[2]}`;
  match = /^option '(.*)' cannot be used with option '(.*)'$/.exec(line);
  if (match) return `argument ${optionNames(match[1] as string)}: not allowed with argument ${optionNames(match[2] as string)}`;
  match = /^missing required argument '(.*)'$/.exec(line);
  if (match) return `the following arguments are required: ${match[1]}`;
  return line;
}

/** `fleet apply: error: unrecognized arguments: --bogus`, and commander's suggestion lines after it. */
export function usageErrorText(prog: string, commanderMessage: string): string {
  const [first = '', ...rest] = commanderMessage.replace(/\n$/, '').split('\n');
  return [`${prog}: error: ${argparseReason(first)}`, ...rest].join('\n') + '\n';
}

function fullName(command: Command): string {
  const names: string[] = [];
  for (let each: Command | null = command; each; each = each.parent) names.unshift(each.name());
  return names.join(' ');
}

/** Every command and subcommand of the program prints its usage errors as argparse does. */
export function reportUsageErrorsLikeArgparse(command: Command): void {
  const prog = fullName(command);
  command.configureOutput({ outputError: (text, write) => write(usageErrorText(prog, text)) });
  for (const sub of command.commands) reportUsageErrorsLikeArgparse(sub);
}
