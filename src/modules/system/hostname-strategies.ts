import type { Script } from '../../shell/script.js';
import { codePoints, pyLen, splitLines, splitPy, stripPy } from '../../template/python/text.js';
import { field } from '../remote.js';
import type { RemoteOutput } from '../types.js';
import type { HostnameStrategy } from './hostname-platform.js';
import { findProgram, readFile, runFound, unlessOutputIs, writeFile } from './hostname-shell.js';
import { missingExecutable } from './bin-path.js';

/** What a strategy found: main()'s current and permanent names, and what the update would do. */
export interface Assessment {
  /** Null where the strategy's getter returns None (OpenRC's, for a file without `hostname=`). */
  current: string | null;
  permanent: string | null;
  changed: boolean;
  /** The set_* calls update_current_and_permanent_hostname() makes (outside check mode), or how they fail before running. */
  write: Script[] | Failure;
}

/** How a strategy's read or write went wrong: fail_json's message, and the exception's last line when it passes one. */
export interface Failure {
  failed: string;
  exception?: string;
}

export type Assessed = Assessment | Failure;

/** A strategy fleet runs: the read, and what follows from it. */
export interface Strategy {
  read: Script[];
  assess(output: RemoteOutput): Assessed;
}

/** run_command's result as a command step emitted it (fleet_capture -p KEY_). */
const ran = (output: RemoteOutput, key: string) => ({
  rc: Number(field(output, `${key}_rc`)),
  out: field(output, `${key}_stdout`),
  err: field(output, `${key}_stderr`),
});

const commandFailed = (result: { rc: number; out: string; err: string }): string => `Command failed rc=${result.rc}, out=${result.out}, err=${result.err}`;

/** get_file_content(path, default, strip): the file's text, `fallback` when it has none. */
function fileContent(output: RemoteOutput, key: string, strip: boolean, fallback: string | null): string | null {
  if (!output.fields.has(key)) return fallback;
  const text = field(output, key);
  const data = strip ? stripPy(text, null, true, true) : text;
  return data === '' ? fallback : data;
}

/** get_file_lines(path): the stripped text's lines. */
const fileLines = (output: RemoteOutput, key: string): string[] => splitLines(fileContent(output, key, true, null) ?? '', false);

const strip = (text: string): string => stripPy(text, null, true, true);

/** FileStrategy (and SLES's, OpenBSD's): the file's stripped text is both names; only the file is written. */
function fileStrategy(name: string, file: string, setCurrent: Script[]): Strategy {
  return {
    read: [readFile('hostname', file)],
    assess(output) {
      const value = output.fields.has('hostname_is_file') ? (fileContent(output, 'hostname', true, '') as string) : '';
      return { current: value, permanent: value, changed: value !== name, write: [...setCurrent, writeFile(file, `${name}\n`)] };
    },
  };
}

/** AlpineStrategy: set_current_hostname runs `hostname -F /etc/hostname` before the file is written, so with its old name. */
const alpineStrategy = (name: string): Strategy => fileStrategy(name, '/etc/hostname', [findProgram('hostname'), runFound('set_current', ['-F', '/etc/hostname'], true)]);

const NETWORK_FILE = '/etc/sysconfig/network';

/** RedHatStrategy.get_permanent_hostname: the first HOSTNAME line's value, split at its one `=`. */
function redHatName(output: RemoteOutput): string | Failure {
  for (const raw of fileLines(output, 'network')) {
    const line = strip(raw);
    if (!line.startsWith('HOSTNAME')) continue;
    const parts = splitPy(line, '=', -1);
    if (parts.length === 2) return strip(parts[1] as string);
    const problem = parts.length > 2 ? 'too many values to unpack (expected 2)' : `not enough values to unpack (expected 2, got ${parts.length})`;
    return { failed: `failed to read hostname: ${problem}`, exception: `ValueError: ${problem}` };
  }
  return { failed: `Unable to locate HOSTNAME entry in ${NETWORK_FILE}` };
}

/** RedHatStrategy.set_permanent_hostname: every line starting HOSTNAME becomes HOSTNAME=name. */
function redHatText(output: RemoteOutput, name: string): string {
  const lines = splitLines(fileContent(output, 'network', false, '') as string, true);
  const wanted = `HOSTNAME=${name}\n`;
  const replaced = lines.map((line) => (strip(line).startsWith('HOSTNAME') ? wanted : line));
  return (lines.some((line) => strip(line).startsWith('HOSTNAME')) ? replaced : [...replaced, wanted]).join('');
}

function redHatStrategy(name: string): Strategy {
  return {
    read: [readFile('network', NETWORK_FILE)],
    assess(output) {
      const value = redHatName(output);
      if (typeof value !== 'string') return value;
      return { current: value, permanent: value, changed: value !== name, write: [writeFile(NETWORK_FILE, redHatText(output, name))] };
    },
  };
}

const OPENRC_FILE = '/etc/conf.d/hostname';

/**
 * OpenRCStrategy.get_permanent_hostname: `line[10:]` of the first `hostname=` line, which is
 * nine characters long, so the value loses its first character (its quote, when quoted);
 * None without such a line.
 */
function openRcName(output: RemoteOutput): string | null {
  if (!output.fields.has('openrc_is_file')) return '';
  const line = fileLines(output, 'openrc').map(strip).find((candidate) => candidate.startsWith('hostname='));
  return line === undefined ? null : stripPy(codePoints(line).slice(10).join(''), '"', true, true);
}

/** OpenRCStrategy.set_permanent_hostname: the stripped lines, the first `hostname=` one replaced. */
function openRcText(output: RemoteOutput, name: string): string {
  const lines = fileLines(output, 'openrc').map(strip);
  const index = lines.findIndex((line) => line.startsWith('hostname='));
  if (index >= 0) lines[index] = `hostname="${name}"`;
  return `${lines.join('\n')}\n`;
}

function openRcStrategy(name: string): Strategy {
  return {
    read: [readFile('openrc', OPENRC_FILE)],
    assess(output) {
      const value = openRcName(output);
      return { current: value, permanent: value, changed: value !== name, write: [writeFile(OPENRC_FILE, openRcText(output, name))] };
    },
  };
}

const TOO_LONG = 'name cannot be longer than 64 characters on systemd servers, try a shorter name';

/**
 * SystemdStrategy: hostnamectl's transient name is the current one, its static name the
 * permanent one; the static (and pretty) name is set first, then the transient name is read
 * again, since hostnamed may already have set it with the static one.
 */
function systemdStrategy(name: string): Strategy {
  return {
    read: [findProgram('hostnamectl'), runFound('transient', ['--transient', 'status'], true), runFound('static', ['--static', 'status'], true)],
    assess(output) {
      const transient = ran(output, 'transient');
      if (transient.rc !== 0) return { failed: commandFailed(transient) };
      const statics = ran(output, 'static');
      if (statics.rc !== 0) return { failed: commandFailed(statics) };
      const current = strip(transient.out);
      const permanent = strip(statics.out);
      const changed = current !== name || permanent !== name;
      if (pyLen(name) > 64) return { current, permanent, changed, write: { failed: TOO_LONG } };
      const setTransient = runFound('set_transient', ['--transient', 'set-hostname', name], true);
      return {
        current,
        permanent,
        changed,
        write: [
          findProgram('hostnamectl'),
          ...(permanent === name ? [] : [runFound('set_static', ['--pretty', '--static', 'set-hostname', name], true)]),
          runFound('transient_again', ['--transient', 'status'], true),
          unlessOutputIs(name, setTransient),
        ],
      };
    },
  };
}

const DARWIN_NAMES = ['HostName', 'ComputerName', 'LocalHostName'] as const;
const SCRUBBED_CHARS = `'"~\`!@#$%^&*(){}[]/=?+\\|-_ `;

/**
 * DarwinStrategy._scrub_hostname: LocalHostName as macOS makes it from a name: the special
 * characters become dashes (str.maketrans keeps the last mapping of a character, so `'`, in
 * both lists, is deleted, as is `.`), then every double dash is removed (not collapsed), and
 * trailing dashes are cut.
 */
export function scrubbedHostname(name: string): string {
  let scrubbed = codePoints(name)
    .filter((char) => char !== '.' && char !== "'")
    .map((char) => (SCRUBBED_CHARS.includes(char) ? '-' : char))
    .join('');
  while (scrubbed.includes('--')) scrubbed = scrubbed.replaceAll('--', '');
  return scrubbed.replace(/-+$/, '');
}

/**
 * DarwinStrategy: scutil's HostName is the current name, ComputerName the permanent one; all
 * three names are set when any differs (LocalHostName to the scrubbed name).
 */
function darwinStrategy(name: string): Strategy {
  const scrubbed = scrubbedHostname(name);
  const wanted = (type: string): string => (type === 'LocalHostName' ? scrubbed : name);
  return {
    read: [findProgram('scutil'), ...DARWIN_NAMES.map((type) => runFound(type, ['--get', type], false))],
    assess(output) {
      const host = ran(output, 'HostName');
      if (host.rc !== 0 && !host.err.includes('HostName: not set')) return { failed: `Failed to get current hostname rc=${host.rc}, out=${host.out}, err=${host.err}` };
      const computer = ran(output, 'ComputerName');
      if (computer.rc !== 0) return { failed: `Failed to get permanent hostname rc=${computer.rc}, out=${computer.out}, err=${computer.err}` };
      const changed = DARWIN_NAMES.some((type) => strip(ran(output, type).out) !== wanted(type));
      return {
        current: strip(host.out),
        permanent: strip(computer.out),
        changed,
        write: [findProgram('scutil'), ...DARWIN_NAMES.map((type) => runFound(`set_${type}`, ['--set', type, wanted(type)], true))],
      };
    },
  };
}

/** The strategies fleet runs; null for the others (which fail before reading anything). */
export function strategyFor(choice: HostnameStrategy, name: string): Strategy | null {
  switch (choice.kind) {
    case 'file':
      return fileStrategy(name, choice.file, []);
    case 'alpine':
      return alpineStrategy(name);
    case 'redhat':
      return redHatStrategy(name);
    case 'openrc':
      return openRcStrategy(name);
    case 'systemd':
      return systemdStrategy(name);
    case 'darwin':
      return darwinStrategy(name);
    default:
      return null;
  }
}

/**
 * How a write (or a read's required program) failed, from its records: the program missing,
 * a command's failure (worded per strategy), or a file the shell could not open.
 */
export function stepFailure(output: RemoteOutput, name: string): { failed: string } | { osError: string } | null {
  if (output.fields.has('missing')) return { failed: missingExecutable(field(output, 'program'), field(output, 'missing')) };
  if (output.fields.has('write_error')) return { osError: field(output, 'write_error') };
  for (const key of ['set_current', 'set_static', 'transient_again', 'set_transient']) {
    if (output.fields.has(`${key}_rc`) && ran(output, key).rc !== 0) return { failed: commandFailed(ran(output, key)) };
  }
  for (const type of DARWIN_NAMES) {
    const result = ran(output, `set_${type}`);
    if (output.fields.has(`set_${type}_rc`) && result.rc !== 0) return { failed: `Failed to set ${type} to '${name}': ${result.out} ${result.err}` };
  }
  return null;
}
