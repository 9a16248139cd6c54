import { randomBytes } from 'node:crypto';
import { inlineLibraries } from './libraries.js';
import { quote } from './quote.js';

export interface Become {
  user: string;
  method: string;
  flags: string;
}

export interface WrapOptions {
  become?: Become;
  /** `environment:` of the task, exported before the module script runs. */
  environment?: ReadonlyMap<string, string>;
}

/**
 * The one place a module script gets its environment and privilege escalation.
 * With become, the script travels on sudo's stdin (a heredoc) into a 0600 temp file owned
 * by the target user and runs from there with stdin closed: no argument-length limit, no
 * script readable by other users, and a command that reads stdin cannot eat the script.
 */
export function wrapScript(script: string, options: WrapOptions): string {
  const exports = [...(options.environment ?? new Map<string, string>())]
    .map(([name, value]) => `export ${name}=${quote(value)}`)
    .join('\n');
  const body = exports ? `${exports}\n${script}` : script;
  if (!options.become) return body;
  if (options.become.method !== 'sudo' && options.become.method !== 'su') {
    throw new Error(`become_method ${options.become.method} is not supported (sudo and su are)`);
  }
  let delimiter = `FLEET_BECOME_${randomBytes(8).toString('hex')}`;
  while (body.includes(delimiter)) delimiter = `FLEET_BECOME_${randomBytes(8).toString('hex')}`;
  const runner = `f=$(mktemp) || exit 125; cat > "$f"; sh "$f" </dev/null; rc=$?; rm -f "$f"; exit $rc`;
  const escalate =
    options.become.method === 'sudo'
      ? `sudo -H -n ${options.become.flags ? `${options.become.flags} ` : ''}-u ${quote(options.become.user)} /bin/sh -c ${quote(runner)}`
      : `su ${options.become.flags ? `${options.become.flags} ` : ''}${quote(options.become.user)} -c ${quote(runner)}`;
  return `${escalate} <<'${delimiter}'\n${body}\n${delimiter}\n`;
}

/**
 * wrapScript for a script whose libraries the connection would define in its long-lived
 * shell: under become the script runs in another shell, so they travel inline instead.
 */
export function wrapWithLibraries(script: string, libraries: readonly string[] = [], options: WrapOptions): { script: string; libraries: readonly string[] } {
  if (!options.become) return { script: wrapScript(script, options), libraries };
  return { script: wrapScript(inlineLibraries(script, libraries), options), libraries: [] };
}
