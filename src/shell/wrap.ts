import { randomBytes } from 'node:crypto';
import { FleetError } from '../errors.js';
import { inlineLibraries } from './libraries.js';
import { quote } from './quote.js';

export interface Become {
  user: string;
  method: string;
  flags: string;
  /** become_exe: the program run as sudo or su (the method's own name unless set). */
  exe?: string;
  /** ansible_become_password or -K's answer; sudo reads it from stdin, never from a command line. */
  password?: string;
}

export interface WrapOptions {
  become?: Become;
  /** `environment:` of the task, exported before the module script runs. */
  environment?: ReadonlyMap<string, string>;
}

/**
 * The variables that set a become plugin's option (sudo.py, su.py: `ansible_become_<option>`,
 * then `ansible_<method>_<option>`), the one that wins first: the plugin takes the last it
 * lists, so `ansible_sudo_user` beats `ansible_become_user`, and either beats the keyword.
 */
export function becomeOptionVariables(method: string, option: 'user' | 'flags' | 'exe'): string[] {
  return [...(method === 'sudo' || method === 'su' ? [`ansible_${method}_${option}`] : []), `ansible_become_${option}`];
}

/** The become plugin's password variables for `method`, the one that wins first (the last it lists). */
export function becomePasswordVariables(method: string): string[] {
  return [...(method === 'sudo' || method === 'su' ? [`ansible_${method}_pass`] : []), 'ansible_become_pass', 'ansible_become_password'];
}

function freshToken(prefix: string, avoid: string): string {
  let token = `${prefix}${randomBytes(8).toString('hex')}`;
  while (avoid.includes(token)) token = `${prefix}${randomBytes(8).toString('hex')}`;
  return token;
}

/**
 * The one place a module script gets its environment and privilege escalation.
 * With become, the script travels on sudo's stdin (a heredoc) into a 0600 temp file owned
 * by the target user and runs from there with stdin closed: no argument-length limit, no
 * script readable by other users, and a command that reads stdin cannot eat the script.
 *
 * A become password is the heredoc's first line, which `sudo -S` reads when it asks for one;
 * the runner then skips every line up to a random start line, so a password sudo did not ask
 * for (NOPASSWD, a cached ticket) is dropped rather than run. Filler lines follow the
 * password: a wrong one makes sudo read its further tries (passwd_tries, 3 by default) from
 * them, never from the start line or the script.
 */
/** sudoers' passwd_tries default: how many lines a wrong password makes sudo -S read. */
const SUDO_PASSWORD_TRIES = 3;

export function wrapScript(script: string, options: WrapOptions): string {
  const exports = [...(options.environment ?? new Map<string, string>())]
    .map(([name, value]) => `export ${name}=${quote(value)}`)
    .join('\n');
  const body = exports ? `${exports}\n${script}` : script;
  const become = options.become;
  if (!become) return body;
  if (become.method !== 'sudo' && become.method !== 'su') {
    throw new Error(`become_method ${become.method} is not supported (sudo and su are)`);
  }
  const password = become.password ?? '';
  if (password !== '' && become.method === 'su') {
    throw new FleetError('become_method su with a password is not supported (su reads it from a terminal); use sudo');
  }
  const delimiter = freshToken('FLEET_BECOME_', body + password);
  const flags = become.flags ? `${become.flags} ` : '';
  const runner = `f=$(mktemp) || exit 125; cat > "$f"; sh "$f" </dev/null; rc=$?; rm -f "$f"; exit $rc`;
  const exe = quote(become.exe ?? become.method);
  if (become.method === 'su') return `${exe} ${flags}${quote(become.user)} -c ${quote(runner)} <<'${delimiter}'\n${body}\n${delimiter}\n`;
  if (password === '') return `${exe} -H -n ${flags}-u ${quote(become.user)} /bin/sh -c ${quote(runner)} <<'${delimiter}'\n${body}\n${delimiter}\n`;
  const start = freshToken('FLEET_START_', body + password);
  const filler = `${freshToken('FLEET_NOT_A_PASSWORD_', body + password)}\n`.repeat(SUDO_PASSWORD_TRIES - 1);
  const skipToStart = `while IFS= read -r l; do [ "$l" = ${start} ] && break; done; ${runner}`;
  return `${exe} -H -S -p '' ${flags}-u ${quote(become.user)} /bin/sh -c ${quote(skipToStart)} <<'${delimiter}'\n${password}\n${filler}${start}\n${body}\n${delimiter}\n`;
}

/**
 * Ansible's result for a sudo that refused to run the script (its sudo become plugin's
 * `missing` and `fail` strings), or null. Only a script that produced no output counts, so a
 * module that runs sudo itself keeps its own failure.
 */
export function becomeFailure(become: Become | undefined, rc: number, stdout: string, stderr: string): string | null {
  if (!become || become.method !== 'sudo' || rc === 0 || stdout !== '') return null;
  if (/incorrect password attempt|Sorry, try again\./.test(stderr)) return 'Incorrect sudo password';
  if (/sudo: a password is required|Sorry, a password is required to run sudo/.test(stderr)) return 'Missing sudo password';
  return null;
}

/**
 * wrapScript for a script whose libraries the connection would define in its long-lived
 * shell: under become the script runs in another shell, so they travel inline instead.
 */
export function wrapWithLibraries(script: string, libraries: readonly string[] = [], options: WrapOptions): { script: string; libraries: readonly string[] } {
  if (!options.become) return { script: wrapScript(script, options), libraries };
  return { script: wrapScript(inlineLibraries(script, libraries), options), libraries: [] };
}
