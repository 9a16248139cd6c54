import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { fromFirstPlay, localProject, type LocalProject, type ToolRun } from './local_project.js';

/**
 * ansible.builtin.pip against ansible-playbook on a local connection, offline: wheels made
 * here (a zip of a module and its dist-info) are installed from a find-links directory with
 * --no-index into a virtualenv each tool makes under its own directory. The venv is made by
 * `mkvenv`, a virtualenv_command standing in for virtualenv (its --help names
 * --no-site-packages, which the module then passes, with -p and the interpreter): `python3 -m
 * venv --without-pip --system-site-packages` and a bin/pip3 running the system's pip with the
 * venv's python, since ensurepip's copy of pip into each venv costs seconds. One playbook: the
 * venv made and two packages installed (a specifier set that pkg_resources prints sorted),
 * the same again (no change), check mode answered from `pip list` (a version not installed,
 * a package to remove, a venv that does not exist), a version change, state latest, a
 * requirements file (changed by comparing the lists before and after), state absent, a
 * package the directory lacks (pip's failure as the module's msg) and an executable not
 * found.
 */
const PLAY = `- hosts: testhost
  gather_facts: false
  vars:
    venv: "{{ playbook_dir }}/{{ tool }}/venv"
    offline: "--no-index --find-links {{ playbook_dir }}/wheels"
  tasks:
    - pip: { name: [alpha==1.0, "beta<0.6,>=0.1"], virtualenv: "{{ venv }}", virtualenv_command: "{{ playbook_dir }}/mkvenv", extra_args: "{{ offline }}" }
      register: created
    - pip: { name: [alpha==1.0, beta], virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
      register: again
    - pip: { name: alpha, version: "2.0", virtualenv: "{{ venv }}" }
      check_mode: true
      register: check_version
    - pip: { name: [Beta, alpha>=1], state: absent, virtualenv: "{{ venv }}" }
      check_mode: true
      register: check_absent
    - pip: { name: alpha, virtualenv: "{{ playbook_dir }}/{{ tool }}/none" }
      check_mode: true
      register: check_no_venv
    - pip: { name: alpha, version: "2.0", virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
      register: upgraded
    - pip: { name: beta, state: latest, virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
      register: latest
    - pip: { requirements: requirements.txt, chdir: "{{ playbook_dir }}", virtualenv: "{{ tool }}/venv", extra_args: "{{ offline }}" }
      register: from_file
    - pip: { name: beta, state: absent, virtualenv: "{{ venv }}" }
      register: removed
    - pip: { name: nosuch, virtualenv: "{{ venv }}", extra_args: "{{ offline }}" }
      register: missing
      ignore_errors: true
    - pip: { name: alpha, executable: nosuch-pip3 }
      register: no_pip
      ignore_errors: true
    - debug: { var: item }
      loop: "{{ [created, again, check_version, check_absent, check_no_venv, upgraded, latest, from_file, removed, missing, no_pip] }}"
`;

const WHEELS = ['alpha-1.0', 'alpha-2.0', 'beta-0.5', 'beta-0.6', 'gamma-1.0'];

// A wheel is a zip: the module, and METADATA, WHEEL and RECORD under NAME-VERSION.dist-info.
const MAKE_WHEELS = `import base64, hashlib, os, sys, zipfile
for spec in sys.argv[2:]:
    name, version = spec.split('-')
    info = '%s-%s.dist-info' % (name, version)
    files = {name + '.py': 'VERSION = %r\\n' % version,
             info + '/METADATA': 'Metadata-Version: 2.1\\nName: %s\\nVersion: %s\\n' % (name, version),
             info + '/WHEEL': 'Wheel-Version: 1.0\\nGenerator: fleet-test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n'}
    digest = lambda text: base64.urlsafe_b64encode(hashlib.sha256(text.encode()).digest()).rstrip(b'=').decode()
    files[info + '/RECORD'] = ''.join('%s,sha256=%s,%d\\n' % (p, digest(t), len(t)) for p, t in files.items()) + info + '/RECORD,,\\n'
    with zipfile.ZipFile(os.path.join(sys.argv[1], '%s-%s-py3-none-any.whl' % (name, version)), 'w') as wheel:
        for path, text in files.items():
            wheel.writestr(zipfile.ZipInfo(path, (2020, 1, 1, 0, 0, 0)), text)
`;

const MKVENV = `#!/bin/sh
if [ "$1" = --help ]; then printf 'usage: mkvenv [options] DIR\\n  --no-site-packages\\n  -pPYTHON\\n'; exit 0; fi
for dir in "$@"; do :; done
/usr/bin/python3 -m venv --without-pip --system-site-packages "$dir" || exit
printf '#!/bin/sh\\nexec "\${0%%/*}/python3" -m pip "$@"\\n' >"$dir/bin/pip3" && chmod +x "$dir/bin/pip3"
echo "mkvenv $*"
`;

const TOOLS = ['ansible', 'fleet'] as const;

// Each tool's venv is under its own directory: pip prints the paths it looks in.
const normalized = (run: ToolRun, tool: string): string => fromFirstPlay(run.stdout).replaceAll(`/${tool}/`, '/TOOL/').replaceAll(`${tool}/venv`, 'TOOL/venv');

describe('pip on a local connection', () => {
  let project: LocalProject;
  beforeAll(() => {
    project = localProject({ 'play.yml': PLAY, 'requirements.txt': 'gamma\n' });
    mkdirSync(join(project.dir, 'wheels'));
    for (const tool of TOOLS) mkdirSync(join(project.dir, tool));
    writeFileSync(join(project.dir, 'make_wheels.py'), MAKE_WHEELS);
    writeFileSync(join(project.dir, 'mkvenv'), MKVENV, { mode: 0o755 });
    const made = spawnSync('/usr/bin/python3', ['make_wheels.py', 'wheels', ...WHEELS], { cwd: project.dir, encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
  });
  afterAll(() => project?.remove());

  it('makes the venv, installs, upgrades, removes and fails as ansible-playbook does', { timeout: 120_000 }, async ({ expect }) => {
    const [ansible, fleet] = (await Promise.all(TOOLS.map((tool) => project.runAsync(tool, ['play.yml', '-e', `tool=${tool}`])))) as [ToolRun, ToolRun];
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    expect(normalized(fleet, 'fleet')).toBe(normalized(ansible, 'ansible'));
    expect(fleet.stderr).toBe(ansible.stderr);
    expect(ansible.stdout).toMatch(/ok=12 +changed=8 .* ignored=2/);
    expect(ansible.stdout).toContain('Successfully installed alpha-1.0 beta-0.5');
    expect(ansible.stdout).toContain(`mkvenv --no-site-packages -p/usr/bin/python3 ${project.dir}/ansible/venv`);
    expect(ansible.stdout).toContain('Successfully installed beta-0.6');
    expect(ansible.stdout).toContain('No matching distribution found for nosuch');
    expect(ansible.stdout).toContain('Unable to find any of nosuch-pip3 to use.  pip needs to be installed.');
  });
});
