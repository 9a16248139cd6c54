import { copyFileSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject, type ToolRun } from './local_project.js';

/**
 * The hostname module against ansible-playbook on a local connection, each tool inside
 * `unshare --uts --mount --net` with its own kernel name (`start`) and an overlay over /etc
 * whose upper directory is the tool's: the files the strategies read and write (/etc/hostname,
 * /etc/sysconfig/network, /etc/conf.d/hostname, /etc/HOSTNAME) are seeded there, and what the
 * run wrote is read back from there. (An overlay where the brief's bind mounts cannot reach:
 * Debian has no /etc/sysconfig or /etc/conf.d to mount a file on.) /etc/hosts is seeded too,
 * so the facts' getfqdn() finds names without DNS.
 *
 * One run with --diff covers: the default strategy here (Debian without systemd: /etc/hostname
 * only) in check mode, changed, then unchanged, with the facts the next task sees; alpine's
 * (its `hostname -F` runs before the file is written, so the kernel gets the old name);
 * `use: debian` (hostnamectl, which fails here: no systemd); generic (no getter: the module
 * dies); redhat's HOSTNAME lines (changed, unchanged); openrc's file (missing
 * directory, a file without `hostname=`: the module dies after writing, a quoted name);
 * sles's /etc/HOSTNAME created; an invalid `use`; and the registered results.
 */
const PLAY = `- hosts: testhost
  gather_facts: false
  vars:
    state: "{{ lookup('pipe', 'echo kernel=$(hostname) file=$(cat /etc/hostname)') }}"
  tasks:
    - hostname: { name: web01.example.com }
      check_mode: true
      register: checked
    - debug: { msg: "{{ state }}" }
    - hostname: { name: web01.example.com }
      register: changed_name
    - hostname: { name: web01.example.com }
      register: same_name
    - debug: { msg: "{{ [ansible_hostname, ansible_nodename, ansible_fqdn, ansible_domain, state] }}" }
    - ansible.builtin.hostname: { name: web02, use: alpine }
      register: alpine
    - debug: { msg: "{{ [ansible_fqdn, state] }}" }
    - hostname: { name: web02, use: debian }
      register: systemd
      ignore_errors: true
    - hostname: { name: web02, use: generic }
      register: generic
      ignore_errors: true
    - hostname: { name: web03, use: redhat }
      register: redhat
    - hostname: { name: web03, use: redhat }
      register: redhat_again
    - hostname: { name: web04, use: openrc }
      register: openrc_missing
      ignore_errors: true
    - debug: { msg: "{{ lookup('pipe', 'mkdir /etc/conf.d && cp ' + playbook_dir + '/no-line /etc/conf.d/hostname') }}" }
    - hostname: { name: web04, use: openrc }
      register: openrc_no_line
      ignore_errors: true
    - debug: { msg: "{{ lookup('pipe', 'cp ' + playbook_dir + '/quoted /etc/conf.d/hostname') }}" }
    - hostname: { name: web04, use: openrc }
      register: openrc
    - hostname: { name: web05, use: sles }
      register: sles
    - hostname: { name: web05, use: nosuch }
      register: invalid
      ignore_errors: true
    - debug: { msg: "{{ [checked, changed_name, same_name, alpine, systemd, generic, redhat, redhat_again] }}" }
    - debug: { msg: "{{ [openrc_missing, openrc_no_line, openrc, sles, invalid, state] }}" }
`;

/**
 * systemd's and macOS's strategies against stand-ins for hostnamectl and scutil
 * (test/apply/hostname/, first on PATH), whose state both tools read back and whose calls they
 * log: `names` shows the state and the calls since it was last shown. systemd: check mode, a
 * change of both names, `use: debian` unchanged, a transient name changed behind its back,
 * a name over 64 characters, hostnamectl failing. macOS: HostName not set yet, a name
 * LocalHostName gets scrubbed, unchanged, only LocalHostName stale (check mode, then for
 * real), a name that scrubs to nothing (the stand-in refuses it), ComputerName not set.
 */
const FAKES_PLAY = `- hosts: testhost
  gather_facts: false
  vars:
    state: "{{ playbook_dir }}/{{ tool }}-fakes/state"
    names: "{{ lookup('pipe', 'cd ' + state + ' && head -n 1 HostName ComputerName LocalHostName static pretty transient 2>&1; cat calls.log; : > calls.log') }}"
  tasks:
    - hostname: { name: db01.example.com, use: systemd }
      check_mode: true
      register: systemd_checked
    - hostname: { name: db01.example.com, use: systemd }
      register: systemd_set
    - debug: { msg: "{{ names }}" }
    - hostname: { name: db01.example.com, use: debian }
      register: systemd_same
    - debug: { msg: "{{ lookup('pipe', 'echo other > ' + state + '/transient') }}" }
    - hostname: { name: db01.example.com, use: systemd }
      register: systemd_transient
    - debug: { msg: "{{ names }}" }
    - hostname: { name: "{{ 'x' * 65 }}", use: systemd }
      register: systemd_long
      ignore_errors: true
    - debug: { msg: "{{ lookup('pipe', 'touch ' + state + '/down') }}" }
    - hostname: { name: db02, use: systemd }
      register: systemd_down
      ignore_errors: true
    - hostname: { name: "Web Server's #1.local", use: macos }
      register: mac_set
    - debug: { msg: "{{ names }}" }
    - hostname: { name: "Web Server's #1.local", use: darwin }
      register: mac_same
    - debug: { msg: "{{ lookup('pipe', 'echo stale > ' + state + '/LocalHostName') }}" }
    - hostname: { name: "Web Server's #1.local", use: macosx }
      check_mode: true
      register: mac_stale_checked
    - hostname: { name: "Web Server's #1.local", use: macosx }
      register: mac_stale
    - hostname: { name: "--", use: macos }
      register: mac_refused
      ignore_errors: true
    - debug: { msg: "{{ lookup('pipe', 'rm ' + state + '/ComputerName') }}" }
    - hostname: { name: mac02, use: macos }
      register: mac_no_computer_name
      ignore_errors: true
    - debug: { msg: "{{ [names, systemd_checked, systemd_set, systemd_same, systemd_transient, systemd_long, systemd_down] }}" }
    - debug: { msg: "{{ [mac_set, mac_same, mac_stale_checked, mac_stale, mac_refused, mac_no_computer_name] }}" }
`;

const FAKE_STATE: Record<string, string> = { transient: 'start\n', static: 'old-static\n', ComputerName: 'Old Mac\n', LocalHostName: 'Old-Mac\n', 'calls.log': '' };

/** The stand-ins and their state for `tool`, under TOOL-fakes/. */
function seedFakes(project: LocalProject, tool: Tool): void {
  const dir = join(project.dir, `${tool}-fakes`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  mkdirSync(join(dir, 'state'));
  for (const program of ['scutil', 'hostnamectl']) copyFileSync(join(import.meta.dirname, 'hostname', program), join(dir, 'bin', program));
  for (const [name, text] of Object.entries(FAKE_STATE)) writeFileSync(join(dir, 'state', name), text);
}

const SEEDS: Record<string, string> = {
  hostname: 'old\n',
  // Addresses nothing connects to: only getfqdn() looks them up, here and back.
  hosts: '10.99.0.1 start.example.org start\n10.99.0.2 web01.example.com web01\n',
  'sysconfig/network': 'NETWORKING=yes\n  HOSTNAME = old.example \nGATEWAY=10.0.0.1\nHOSTNAME_ALIAS=x\n',
};
const TOOLS = ['ansible', 'fleet'] as const;
type Tool = (typeof TOOLS)[number];

/** The overlay's directories for `tool`'s run of `play`: upper (seeded, then what the run wrote) and work. */
function overlayDirs(project: LocalProject, tool: Tool, play: string): { upper: string; work: string } {
  return { upper: join(project.dir, `${tool}-${play}-etc`), work: join(project.dir, `${tool}-${play}-work`) };
}

function seed(project: LocalProject, tool: Tool, play: string): void {
  const { upper, work } = overlayDirs(project, tool, play);
  mkdirSync(work, { recursive: true });
  for (const [path, text] of Object.entries(SEEDS)) {
    mkdirSync(join(upper, path, '..'), { recursive: true });
    writeFileSync(join(upper, path), text, { mode: 0o644 });
  }
}

/** Every file under `dir`: its path, mode and content. */
function files(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix))
    .sort()
    .flatMap((name) => {
      const path = join(prefix, name);
      const stat = lstatSync(join(dir, path));
      if (stat.isDirectory()) return files(dir, path);
      return [`${path} ${stat.mode.toString(8)} ${JSON.stringify(readFileSync(join(dir, path), 'utf8'))}`];
    });
}

/** The tool's run of `play` in its own UTS, mount and network namespaces, /etc overlaid; `path` goes before $PATH. */
function inOwnNamespaces(project: LocalProject, tool: Tool, play: string, path: string | null): Promise<ToolRun> {
  const { upper, work } = overlayDirs(project, tool, play);
  const env = path === null ? {} : { PATH: `${path}:${process.env.PATH ?? ''}` };
  const setUp = 'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$2" /etc && hostname start && shift 2 && exec "$@"';
  return project.runAsync(tool, [`${play}.yml`, '-v', '--diff', '-e', `tool=${tool}`], env, ['unshare', '--uts', '--mount', '--net', 'sh', '-c', setUp, 'sh', upper, work]);
}

/**
 * A crashed module's traceback (module_stderr, exception) names Ansible's temp files: only
 * its first and last lines are compared.
 */
const normalized = (run: ToolRun): string =>
  fromFirstPlay(run.stdout).replace(/"(module_stderr|exception)": "((?:[^"\\]|\\.)*)"/g, (_match, key: string, text: string) => {
    const lines = text.split('\\n').filter((line) => line !== '');
    return `"${key}": "${lines[0]} … ${lines[lines.length - 1]}"`;
  });

// The two plays use their own directories, so they run at the same time.
describe.concurrent('hostname on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'files.yml': PLAY, 'fakes.yml': FAKES_PLAY, 'no-line': '  # set by the installer\nkeymap=us  \n\n', quoted: '# hostname\nhostname="old"\nhostname="older"\n' });
    for (const tool of TOOLS) {
      seed(project, tool, 'files');
      seed(project, tool, 'fakes');
      seedFakes(project, tool);
    }
  });
  afterAll(() => project?.remove());

  /** Both tools' runs of `play`, compared (output, then the files each wrote); ansible-playbook's output. */
  const bothRun = async (play: string, path: (tool: Tool) => string | null, expect: ExpectStatic): Promise<string> => {
    const [ansible, fleet] = (await Promise.all(TOOLS.map((tool) => inOwnNamespaces(project, tool, play, path(tool))))) as [ToolRun, ToolRun];
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stderr).toBe(0);
    expect(normalized(fleet)).toBe(normalized(ansible));
    expect(files(overlayDirs(project, 'fleet', play).upper)).toEqual(files(overlayDirs(project, 'ansible', play).upper));
    return ansible.stdout;
  };

  it('sets names with the file strategies as ansible-playbook does: results, facts, diffs, recap and files', { timeout: 90_000 }, async ({ expect }) => {
    const stdout = await bothRun('files', () => null, expect);
    // What the run went through, as ansible-playbook printed it.
    expect(stdout).toMatch(/ok=20 +changed=6 .* ignored=5 /);
    expect(stdout).toContain('+hostname = web01.example.com');
    expect(stdout).toContain('"kernel=web01.example.com file=web02"');
    expect(stdout).toContain('Command failed rc=1');
    expect(stdout).toContain('NotImplementedError');
    expect(stdout).toContain("FileNotFoundError: [Errno 2] No such file or directory: '/etc/conf.d/hostname'");
    expect(stdout).toContain('can only concatenate str (not \\"NoneType\\") to str');
    expect(stdout).toContain('value of use must be one of');
    expect(readFileSync(join(overlayDirs(project, 'fleet', 'files').upper, 'sysconfig/network'), 'utf8')).toBe('NETWORKING=yes\nHOSTNAME=web03\nGATEWAY=10.0.0.1\nHOSTNAME=web03\n');
  });

  it('runs hostnamectl and scutil as ansible-playbook does (stand-ins for both)', { timeout: 90_000 }, async ({ expect }) => {
    const stdout = await bothRun('fakes', (tool) => join(project.dir, `${tool}-fakes`, 'bin'), expect);
    expect(files(join(project.dir, 'fleet-fakes', 'state'))).toEqual(files(join(project.dir, 'ansible-fakes', 'state')));
    expect(stdout).toContain('hostnamectl --pretty --static set-hostname db01.example.com');
    expect(stdout).toContain('scutil --set LocalHostName Web-Servers1local');
    expect(stdout).toContain('name cannot be longer than 64 characters');
    expect(stdout).toContain("Failed to set LocalHostName to '--'");
    expect(stdout).toContain('Failed to get permanent hostname rc=1');
  });
});
