import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject, type ToolRun } from './local_project.js';
import { treeListing } from './tree_listing.js';

/**
 * ansible.builtin.apt_repository against ansible-playbook on a local connection. Each run is
 * in a mount and network namespace of its own where the tool's copy of /etc/apt, and empty
 * apt lists and cache, are bind-mounted over the machine's: the real apt configuration is never
 * touched and nothing can reach the network.
 *
 * SOURCES_PLAY (update_cache off, --diff) runs two tasks in check mode first (nothing written:
 * the same tasks change the files after them), then for real: a new repository (its file name
 * from the URL, user:password dropped, 0644), the same again (unchanged), a commented-out line in
 * sources.list enabled, a line with options already in another file (unchanged) and a new one,
 * `mode` (an integer, and a string with `filename`), state=absent (a sources.list line; a file whose two equal lines lose
 * only the first, as the module pops by line number), a PPA already present (unchanged) and then
 * absent with `codename` (its file emptied, so deleted), an invalid repository string; a change
 * rewrites every file (comments normalised, an empty file deleted).
 * UPDATE_PLAY updates the cache from a local flat `file:` repository, then fails to (a missing
 * repository, one retry; no retries at all), and the module reverts the file it added. Then
 * apt_key with a key the test makes: added from a file (check mode first), from armored data
 * (already there), into a `keyring` of its own with a 0x id, removed by its short id, and a file
 * gpg finds no key in; apt's trusted keys are left out of that copy, as apt-key takes a second
 * to list them.
 * Registered results are compared with their diff lists sorted (the module iterates a set).
 */
const SOURCES_PLAY = `- hosts: testhost
  gather_facts: false
  tasks:
    - apt_repository: { repo: "deb http://user:secret@x.example.org/y/ stable main", update_cache: false }
      register: c_new
      check_mode: true
    - apt_repository: { repo: deb http://deb.example.org/debian bookworm main, update_cache: false }
      register: c_commented
      check_mode: true
    - apt_repository: { repo: "deb http://user:secret@x.example.org/y/ stable main", update_cache: false }
      register: r_new
    - apt_repository: { repo: "deb   http://user:secret@x.example.org/y/ stable main", update_cache: false }
      register: r_again
    - ansible.builtin.apt_repository: { repo: deb http://deb.example.org/debian bookworm main, update_cache: false }
      register: r_commented
    - apt_repository: { repo: "deb [arch=amd64] http://opt.example.org/apt stable main", update_cache: false }
      register: r_options_there
    - apt_repository:
        repo: deb [arch=amd64 signed-by=/etc/apt/keyrings/k.gpg] https://secure.example.org/apt/ bookworm main contrib
        update-cache: no
        mode: 0640
      register: r_options_new
    - apt_repository: { repo: deb http://custom.example.org/c stable main, filename: custom, mode: "0600", update_cache: false }
      register: r_custom
    - apt_repository: { repo: deb-src http://old.example.org/debian bookworm main, state: absent, update_cache: false }
      register: r_absent
    - apt_repository: { repo: deb http://dup.example.org/d x main, state: absent, update_cache: false }
      register: r_dup
    - apt_repository: { repo: "ppa:fleet/tools", codename: jammy, update_cache: false }
      register: r_ppa_there
    - apt_repository: { repo: "ppa:fleet/tools", codename: jammy, state: absent, update_cache: false }
      register: r_ppa_absent
    - apt_repository: { repo: foo bar, update_cache: false }
      register: r_invalid
      ignore_errors: true
    - debug: { msg: "{{ item | combine({'diff': item.diff | sort(attribute='after_header')}) if item.diff is defined and item.diff is not mapping else item }}" }
      loop: "{{ [c_new, c_commented, r_new, r_again, r_commented, r_options_there, r_options_new, r_custom, r_absent, r_dup, r_ppa_there, r_ppa_absent, r_invalid] }}"
      loop_control: { label: "{{ item.repo | default('') }}" }
`;

const UPDATE_PLAY = `- hosts: testhost
  gather_facts: false
  tasks:
    - apt_repository: { repo: "deb [trusted=yes] file:{{ repo }} ./" }
      register: u_ok
    - apt_repository: { repo: "deb [trusted=yes] file:{{ repo }}/missing ./", update_cache_retries: 1, update_cache_retry_max_delay: 0 }
      register: u_failed
      ignore_errors: true
    - apt_repository: { repo: "deb [trusted=yes] file:{{ repo }}/other ./", update_cache_retries: 0 }
      register: u_no_retries
      ignore_errors: true
    - apt_key: { file: "{{ playbook_dir }}/key.gpg" }
      register: k_check
      check_mode: true
    - apt_key: { file: "{{ playbook_dir }}/key.gpg" }
      register: k_file
    - apt_key: { data: "{{ lookup('file', 'key.asc') }}" }
      register: k_data
    - apt_key: { id: "0x{{ fingerprint[-16:] }}", data: "{{ lookup('file', 'key.asc') }}", keyring: "{{ apt_dir }}/ring.gpg" }
      register: k_keyring
    - apt_key: { id: "{{ fingerprint[-8:] }}", state: absent }
      register: k_absent
    - apt_key: { file: "{{ playbook_dir }}/update.yml" }
      register: k_not_a_key
      ignore_errors: true
    - debug: { msg: "{{ [u_ok, u_failed, u_no_retries, k_check, k_file, k_data, k_keyring, k_absent, k_not_a_key] }}" }
`;

/**
 * apt's update_cache: a first update, a second one a second later (apt-get rewrites the lists
 * either way, so the cache's mtime moves on: changed again), one within cache_valid_time (not
 * run), then, with a source that cannot be fetched, a failed update with one retry and one with none.
 */
const APT_PLAY = `- hosts: testhost
  gather_facts: false
  tasks:
    - apt: { update_cache: true }
      register: a_first
    # apt.py compares the cache's mtime in whole seconds: the second update must come in another.
    - wait_for: { timeout: 1 }
      no_log: true
    - apt: { update_cache: true }
      register: a_again
    - apt: { update_cache: true, cache_valid_time: 3600 }
      register: a_valid
    - lineinfile: { path: /etc/apt/sources.list.d/missing.list, line: "deb [trusted=yes] file:{{ repo }}/missing ./", create: true }
    - apt: { update_cache: true, update_cache_retries: 1, update_cache_retry_max_delay: 0 }
      register: a_failed
      ignore_errors: true
    - apt: { update_cache: true, update_cache_retries: 0 }
      register: a_none
      ignore_errors: true
    - debug: { msg: "{{ item if item.cache_update_time is not defined else item | combine({'cache_update_time': item.cache_update_time > 0}) }}" }
      loop: "{{ [a_first, a_again, a_valid, a_failed, a_none] }}"
`;

const SOURCES_LIST = `# deb http://deb.example.org/debian bookworm main
deb http://old.example.org/debian  bookworm   main   # spaced line
#plain comment

deb-src http://old.example.org/debian bookworm main
##  doubled
`;

const TOOLS = ['ansible', 'fleet'] as const;
type Tool = (typeof TOOLS)[number];

/** A tool's apt: a copy of /etc/apt with the given sources, empty lists and cache. */
function seedApt(dir: string, sources: Record<string, string>): void {
  cpSync('/etc/apt', join(dir, 'etc'), { recursive: true });
  rmSync(join(dir, 'etc', 'sources.list'), { force: true });
  rmSync(join(dir, 'etc', 'sources.list.d'), { recursive: true, force: true });
  mkdirSync(join(dir, 'etc', 'sources.list.d'));
  for (const [name, text] of Object.entries(sources)) writeFileSync(join(dir, 'etc', name), text);
  mkdirSync(join(dir, 'lists', 'partial'), { recursive: true });
  mkdirSync(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
}

/** Each sources file: its mode and content. */
function sourcesFiles(dir: string): string[] {
  const etc = join(dir, 'etc');
  return ['sources.list', ...readdirSync(join(etc, 'sources.list.d')).sort().map((name) => join('sources.list.d', name))].flatMap((name) => {
    const listing = treeListing(etc).find((line) => line.startsWith(`${name} `));
    return listing ? [`${listing} ${JSON.stringify(readFileSync(join(etc, name), 'utf8'))}`] : [];
  });
}

/** The wrapper that runs a tool in its own mount and network namespace, DIR's apt bind-mounted over the machine's. */
function inOwnApt(dir: string): string[] {
  const mounts = 'mount --bind "$1/etc" /etc/apt && mount --bind "$1/lists" /var/lib/apt/lists && mount --bind "$1/cache" /var/cache/apt && shift && exec "$@"';
  return ['unshare', '--mount', '--net', 'sh', '-c', mounts, 'sh', dir];
}

/** A signing key made for the test (gpg in a home of its own, its agent stopped after): key.gpg, key.asc; its fingerprint. */
function makeKey(dir: string): string {
  const home = join(dir, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  const gpg = (args: string[]) => {
    const done = spawnSync('gpg', ['--homedir', home, '--batch', ...args], { encoding: 'buffer' });
    if (done.status !== 0) throw new Error(`gpg ${args.join(' ')}: ${done.stderr.toString()}`);
    return done.stdout;
  };
  try {
    gpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'fleet test <fleet@example.org>', 'ed25519', 'sign', 'never']);
    writeFileSync(join(dir, 'key.gpg'), gpg(['--export']));
    writeFileSync(join(dir, 'key.asc'), gpg(['--armor', '--export']));
    return /^fpr:+([0-9A-F]+):/m.exec(gpg(['--with-colons', '--list-keys']).toString())?.[1] ?? '';
  } finally {
    spawnSync('gpgconf', ['--homedir', home, '--kill', 'gpg-agent']);
  }
}

describe.concurrent('apt_repository and apt_key on a local connection', () => {
  let project: LocalProject;
  const dirOf = (tool: Tool, play: string): string => join(project.dir, `${tool}-${play}`);
  beforeAll(() => {
    project = localProject({ 'sources.yml': SOURCES_PLAY, 'update.yml': UPDATE_PLAY, 'apt.yml': APT_PLAY, 'repo/Packages': 'Package: fleet-test-dummy\nVersion: 1.0\nArchitecture: all\nFilename: ./fleet-test-dummy_1.0_all.deb\nSize: 0\nDescription: a package list for apt to keep\n' });
    for (const tool of TOOLS) {
      seedApt(dirOf(tool, 'sources'), {
        'sources.list': SOURCES_LIST,
        'sources.list.d/existing.list': 'deb [arch=amd64] http://opt.example.org/apt stable main\n',
        'sources.list.d/dup.list': 'deb http://dup.example.org/d x main\ndeb http://dup.example.org/d   x main\n',
        'sources.list.d/ppa.list': 'deb http://ppa.launchpad.net/fleet/tools/ubuntu jammy main\n',
        'sources.list.d/empty.list': '',
        'sources.list.d/other.sources': 'Types: deb\n',
      });
      chmodSync(join(dirOf(tool, 'sources'), 'etc', 'sources.list.d', 'existing.list'), 0o640);
      // apt's fetchers run as _apt, which cannot read the project's 0700 temp directory.
      seedApt(dirOf(tool, 'update'), { 'apt.conf.d/99fleet-test': 'APT::Sandbox::User "root";\n' });
      seedApt(dirOf(tool, 'apt'), { 'apt.conf.d/99fleet-test': 'APT::Sandbox::User "root";\n', 'sources.list': `deb [trusted=yes] file:${join(project.dir, 'repo')} ./\n` });
      rmSync(join(dirOf(tool, 'update'), 'etc', 'trusted.gpg'), { force: true });
      for (const name of readdirSync(join(dirOf(tool, 'update'), 'etc', 'trusted.gpg.d'))) rmSync(join(dirOf(tool, 'update'), 'etc', 'trusted.gpg.d', name));
    }
  });
  let fingerprint = '';
  beforeAll(() => {
    fingerprint = makeKey(project.dir);
  });
  afterAll(() => project?.remove());

  const both = async (play: string, args: string[]) => {
    const [ansible, fleet] = await Promise.all(TOOLS.map((tool) => project.runAsync(tool, [`${play}.yml`, '-v', '-e', `apt_dir=${dirOf(tool, play)}`, ...args], {}, inOwnApt(dirOf(tool, play)))));
    return { ansible: ansible as ToolRun, fleet: fleet as ToolRun };
  };

  it('adds, enables and removes sources as ansible-playbook does, in check mode and for real, with --diff', { timeout: 90_000 }, async ({ expect }) => {
    const run = await both('sources', ['--diff']);
    expect(run.ansible.status, run.ansible.stdout + run.ansible.stderr).toBe(0);
    expect(fromFirstPlay(run.fleet.stdout)).toBe(fromFirstPlay(run.ansible.stdout));
    expect(sourcesFiles(dirOf('fleet', 'sources'))).toEqual(sourcesFiles(dirOf('ansible', 'sources')));
    expect(run.ansible.stdout).toMatch(/ok=14 +changed=9 .*ignored=1/);
    expect(run.ansible.stdout).toContain('+deb http://deb.example.org/debian bookworm main');
    expect(run.ansible.stdout).toContain('Invalid repository string: foo bar');
    expect(sourcesFiles(dirOf('ansible', 'sources')).join('\n')).toContain('sources.list.d/custom.list 100600');
    expect(sourcesFiles(dirOf('ansible', 'sources')).join('\n')).toContain('sources.list.d/secure_example_org_apt.list 100640');
  });

  it('updates the cache from a local repository, reverts a source whose update fails, and adds and removes keys, as ansible-playbook does', { timeout: 90_000 }, async ({ expect }) => {
    const run = await both('update', ['-e', `repo=${join(project.dir, 'repo')}`, '-e', `fingerprint=${fingerprint}`]);
    expect(run.ansible.status, run.ansible.stdout + run.ansible.stderr).toBe(0);
    expect(fromFirstPlay(run.fleet.stdout).replaceAll(dirOf('fleet', 'update'), 'APT_DIR')).toBe(fromFirstPlay(run.ansible.stdout).replaceAll(dirOf('ansible', 'update'), 'APT_DIR'));
    expect(sourcesFiles(dirOf('fleet', 'update'))).toEqual(sourcesFiles(dirOf('ansible', 'update')));
    const lists = (tool: Tool) => readdirSync(join(dirOf(tool, 'update'), 'lists')).filter((name) => name.includes('_Packages'));
    expect(lists('fleet')).toEqual(lists('ansible'));
    expect(lists('ansible')).toHaveLength(1);
    expect(run.ansible.stdout).toMatch(/ok=10 +changed=5 .*ignored=3/);
    expect(treeListing(join(dirOf('fleet', 'update'), 'etc'))).toEqual(treeListing(join(dirOf('ansible', 'update'), 'etc')));
    expect(readFileSync(join(dirOf('fleet', 'update'), 'ring.gpg'))).toEqual(readFileSync(join(dirOf('ansible', 'update'), 'ring.gpg')));
    expect(run.ansible.stdout).toContain('Failed to update apt cache: E:Failed to fetch file:');
    expect(run.ansible.stdout).toContain('Failed to update apt cache: unknown reason');
  });

  it("apt's update_cache updates, skips a fresh cache, retries and fails as ansible-playbook's does", { timeout: 90_000 }, async ({ expect }) => {
    const run = await both('apt', ['-e', `repo=${join(project.dir, 'repo')}`]);
    expect(run.ansible.status, run.ansible.stdout + run.ansible.stderr).toBe(0);
    // The cache's mtime is when each tool updated it.
    const untimed = (stdout: string) => fromFirstPlay(stdout).replace(/(cache_update_time["']: )\d+/g, '$1TIME');
    expect(untimed(run.fleet.stdout)).toBe(untimed(run.ansible.stdout));
    expect(run.ansible.stdout).toMatch(/ok=8 +changed=3 .*ignored=2/);
    expect(run.ansible.stdout).toContain('Failed to update apt cache: E:Failed to fetch file:');
    expect(run.ansible.stdout).toContain('Failed to update apt cache: unknown reason');
  });
});
