/**
 * Agent processes of one identity. Every service backend of wizard_base starts the agent
 * in its home (systemd and launchd `WorkingDirectory`, agentctl's pidfile backend `cd`s
 * there first), so the agent processes of an identity are the processes whose working
 * directory is its agent_home and whose command line is its agent_command.
 */

/**
 * Prints `PID<TAB>ARGS` for each process of the SSH user whose working directory is $1:
 * /proc on Linux, lsof (one call) on macOS, whose ps and /proc differ. Read-only.
 */
export const AGENT_PROCESSES_SCRIPT = `home=$1
if [ -d /proc/self ]; then
  for pid in $(ps -U "$(id -u)" -o pid=); do
    [ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" = "$home" ] || continue
    args=$(ps -ww -o args= -p "$pid") && printf '%s\\t%s\\n' "$pid" "$args"
  done
else
  lsof -a -d cwd -u "$(id -u)" -Fpn 2>/dev/null |
    home=$home awk '/^p/ { pid = substr($0, 2) } /^n/ && substr($0, 2) == ENVIRON["home"] { print pid }' |
    while read -r pid; do
      args=$(ps -ww -o args= -p "$pid") && printf '%s\\t%s\\n' "$pid" "$args"
    done
fi
`;

export interface AgentProcess {
  pid: number;
  args: string;
}

const words = (text: string) => text.trim().split(/\s+/).join(' ');

/**
 * The processes running `command`: the same words, or the same words after an
 * interpreter (a console script such as `hermes` shows as `/usr/bin/python3 /usr/local/bin/hermes …`).
 */
export function agentProcesses(output: string, command: string): AgentProcess[] {
  const wanted = words(command);
  const found: AgentProcess[] = [];
  for (const line of output.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const args = words(line.slice(tab + 1));
    if (args === wanted || args.endsWith(` ${wanted}`) || args.endsWith(`/${wanted}`)) found.push({ pid: Number(line.slice(0, tab)), args });
  }
  return found;
}
