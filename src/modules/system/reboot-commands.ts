/**
 * The reboot action's per-platform commands (plugins/action/reboot.py): each table is asked
 * for the distribution name with its major version, then the name, then the family, then the
 * default (_get_value_from_facts).
 */
export interface Distribution {
  /** ansible_distribution, lower case. */
  name: string;
  /** ansible_distribution_version's major part. */
  version: string;
  /** ansible_os_family, lower case. */
  family: string;
}

const BOOT_TIME_COMMANDS: Record<string, string> = {
  freebsd: '/sbin/sysctl kern.boottime',
  openbsd: '/sbin/sysctl kern.boottime',
  macosx: 'who -b',
  solaris: 'who -b',
  sunos: 'who -b',
  vmkernel: 'grep booted /var/log/vmksummary.log | tail -n 1',
  aix: 'who -b',
};

const SHUTDOWN_COMMANDS: Record<string, string> = { alpine: 'reboot', vmkernel: 'reboot' };

const DEFAULT_SHUTDOWN_ARGS = '-r {delay_min} "{message}"';
const SHUTDOWN_COMMAND_ARGS: Record<string, string> = {
  alpine: '',
  void: '-r +{delay_min} "{message}"',
  freebsd: '-r +{delay_sec}s "{message}"',
  linux: DEFAULT_SHUTDOWN_ARGS,
  macosx: '-r +{delay_min} "{message}"',
  openbsd: '-r +{delay_min} "{message}"',
  solaris: '-y -g {delay_sec} -i 6 "{message}"',
  sunos: '-y -g {delay_sec} -i 6 "{message}"',
  vmkernel: '-d {delay_sec}',
  aix: '-Fr',
};

const TEST_COMMANDS: Record<string, string> = { solaris: 'who', vmkernel: 'who' };

function fromFacts(table: Record<string, string>, distribution: Distribution, fallback: string): string {
  return table[distribution.name + distribution.version] ?? table[distribution.name] ?? table[distribution.family] ?? fallback;
}

export const bootTimeCommand = (distribution: Distribution): string => fromFacts(BOOT_TIME_COMMANDS, distribution, 'cat /proc/sys/kernel/random/boot_id');
export const shutdownProgram = (distribution: Distribution): string => fromFacts(SHUTDOWN_COMMANDS, distribution, 'shutdown');
export const testCommand = (distribution: Distribution): string => fromFacts(TEST_COMMANDS, distribution, 'whoami');

/** The shutdown command's arguments: str.format with the delay (whole minutes, rounded down, or seconds) and the message. */
export function shutdownArguments(distribution: Distribution, delaySeconds: number, message: string): string {
  const values: Record<string, string> = { delay_sec: String(delaySeconds), delay_min: String(Math.floor(delaySeconds / 60)), message };
  return fromFacts(SHUTDOWN_COMMAND_ARGS, distribution, DEFAULT_SHUTDOWN_ARGS).replace(/\{(delay_sec|delay_min|message)\}/g, (_, key: string) => values[key] as string);
}
