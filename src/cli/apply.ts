import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CommanderError, type Command } from 'commander';
import { listingText } from '../executor/listing.js';
import { applyPlaybooks, type ApplyOptions } from '../executor/run_playbooks.js';
import { colorEnabled } from '../output/colors.js';
import { DefaultTextSink } from '../output/default_text.js';
import { JsonSink } from '../output/json_sink.js';
import type { RunEvents } from '../output/events.js';
import { EXIT } from './main.js';
import { collect, collectList, increase } from './options.js';

interface ApplyFlags {
  inventory: string[];
  limit?: string;
  check?: boolean;
  diff?: boolean;
  tags: string[];
  skipTags: string[];
  extraVars: string[];
  forks: string;
  verbose: number;
  json?: boolean;
  startAtTask?: string;
  listTasks?: boolean;
  listTags?: boolean;
  listHosts?: boolean;
  syntaxCheck?: boolean;
}

const DEFAULT_PLAYBOOK = 'playbooks/site.yml';
const DEFAULT_INVENTORY = 'inventory/hosts.yml';

function envList(value: string | undefined): string[] {
  return value ? value.split(/[,:]/).filter(Boolean) : [];
}

/** ansible-playbook's flags (and the ANSIBLE_* variables behind their defaults) as run options. */
export function applyOptionsFrom(playbooks: string[], flags: ApplyFlags, env: NodeJS.ProcessEnv, cwd: string): ApplyOptions {
  const inventory = flags.inventory.length > 0 ? flags.inventory : envList(env.ANSIBLE_INVENTORY);
  const forks = Number(flags.forks);
  if (!Number.isInteger(forks) || forks < 1) throw new CommanderError(EXIT.badOptions, 'fleet.forks', `--forks must be a positive whole number, got ${flags.forks}`);
  const checking = env.ANSIBLE_HOST_KEY_CHECKING;
  return {
    playbooks: playbooks.length > 0 ? playbooks : [DEFAULT_PLAYBOOK],
    inventory: inventory.length > 0 ? inventory : existsSync(resolve(cwd, DEFAULT_INVENTORY)) ? [DEFAULT_INVENTORY] : [],
    extraVars: flags.extraVars,
    rolesPath: envList(env.ANSIBLE_ROLES_PATH).map((path) => resolve(cwd, path)),
    cwd,
    check: flags.check === true,
    diff: flags.diff === true,
    forks,
    verbosity: flags.verbose,
    tags: flags.tags.length > 0 ? flags.tags : envList(env.ANSIBLE_RUN_TAGS).length > 0 ? envList(env.ANSIBLE_RUN_TAGS) : ['all'],
    skipTags: flags.skipTags.length > 0 ? flags.skipTags : envList(env.ANSIBLE_SKIP_TAGS),
    ...(flags.limit !== undefined ? { limit: flags.limit } : {}),
    ...(flags.startAtTask !== undefined ? { startAtTask: flags.startAtTask } : {}),
    connection: {
      hostKeyChecking: checking === undefined ? true : !/^(false|no|0|off)$/i.test(checking),
      timeoutSeconds: Number(env.ANSIBLE_TIMEOUT ?? 10),
      env,
      ...(env.ANSIBLE_REMOTE_USER ? { remoteUser: env.ANSIBLE_REMOTE_USER } : {}),
      ...(env.ANSIBLE_PRIVATE_KEY_FILE ? { privateKeyFile: env.ANSIBLE_PRIVATE_KEY_FILE } : {}),
    },
  };
}

export function sinkFor(json: boolean, verbosity: number): RunEvents {
  if (json) return new JsonSink((text) => process.stdout.write(text));
  return new DefaultTextSink({
    write: (text) => process.stdout.write(text),
    writeError: (text) => process.stderr.write(text),
    color: colorEnabled(process.stdout, process.env),
    verbosity,
    terminalWidth: process.stdout.isTTY ? process.stdout.columns : 0,
  });
}

export function registerApplyCommand(program: Command): void {
  program
    .command('apply')
    .description('Run playbooks against the inventory (like ansible-playbook)')
    .argument('[playbooks...]', `playbook files (default ${DEFAULT_PLAYBOOK})`)
    .option('-i, --inventory <source>', `inventory file, directory or host list (repeatable; default ${DEFAULT_INVENTORY})`, collect, [])
    .option('-l, --limit <pattern>', 'further limit selected hosts to a pattern')
    .option('-C, --check', "don't make any changes; predict some of the changes that may occur")
    .option('-D, --diff', 'show the differences in files and templates that change')
    .option('-t, --tags <tags>', 'only run plays and tasks tagged with these values', collectList, [])
    .option('--skip-tags <tags>', 'only run plays and tasks whose tags do not match these values', collectList, [])
    .option('-e, --extra-vars <vars>', 'set additional variables as key=value, YAML/JSON, or @file (repeatable)', collect, [])
    .option('-f, --forks <n>', 'number of hosts to run in parallel', process.env.ANSIBLE_FORKS ?? '16')
    .option('-v, --verbose', 'more output (repeat for more)', increase, 0)
    .option('--start-at-task <name>', 'start the playbook at the task matching this name')
    .option('--json', 'print a machine-readable JSON report instead of text')
    .option('--list-tasks', 'list all tasks that would be executed')
    .option('--list-tags', 'list all available tags')
    .option('--list-hosts', 'outputs a list of matching hosts; does not execute anything else')
    .option('--syntax-check', 'perform a syntax check on the playbook, but do not execute it')
    .action(async (playbooks: string[], flags: ApplyFlags) => {
      const options = applyOptionsFrom(playbooks, flags, process.env, process.cwd());
      if (flags.listTasks || flags.listTags || flags.listHosts || flags.syntaxCheck) {
        process.stdout.write(listingText(options, flags, sinkFor(false, options.verbosity)));
        return;
      }
      const result = await applyPlaybooks(options, sinkFor(flags.json === true, options.verbosity));
      process.exitCode = result.exitCode;
    });
}
