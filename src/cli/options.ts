import { EventEmitter } from 'node:events';
import { InvalidArgumentError, Option, type Command } from 'commander';

/** Commander reducer for repeatable options (`-i a -i b`). */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Comma-separated, repeatable options such as `--tags a,b --tags c`. */
export function collectList(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((part) => part.trim()).filter(Boolean)];
}

export function increase(_value: string, previous: number): number {
  return previous + 1;
}

/** argparse's type=int: Python's int() of the text (blanks around it, `_` between digits); the value stays text. */
export function pythonInt(value: string): string {
  if (!/^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) throw new InvalidArgumentError(`invalid int value: '${value}'`);
  return String(Number(value.replace(/_/g, '')));
}

/**
 * One more name for an option, as argparse takes any number of them and commander two: hidden
 * from the help (the option's description names it), it does what the option does.
 */
export function addAlias(command: Command, flags: string, target: string): Command {
  const alias = new Option(flags).hideHelp();
  command.addOption(alias);
  // Commander is an EventEmitter: the target's own `option:` listener parses and stores the value.
  if (!(command instanceof EventEmitter)) throw new Error('commander.Command is expected to be an EventEmitter');
  command.on(`option:${alias.name()}`, (value: string | undefined) => command.emit(`option:${target}`, value));
  return command;
}
