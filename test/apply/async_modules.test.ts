import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';

/**
 * `async:` on modules other than command and shell (ModuleDef.asyncJob), against
 * ansible-playbook on a local connection, each tool in its own project: file polled, with
 * no_log (the callback's jid is then None); git (a clone of a repository made here), slurp,
 * getent, setup and a failing pip started with `poll: 0`, then collected by async_status with
 * `until` once every job file holds its result (a shell barrier, so neither tool's first look
 * can find a job still running); check mode and async; unarchive and add_host, whose Ansible
 * actions refuse async when they run.
 */
const PLAYBOOK = `- hosts: all
  gather_facts: false
  vars:
    ansible_async_dir: "{{ playbook_dir }}/jobs"
  tasks:
    - name: file, polled
      file: path={{ playbook_dir }}/made state=directory mode=0750
      async: 10
      poll: 1
      register: made
      no_log: true
    - name: git clone, poll 0
      git: repo={{ playbook_dir }}/origin dest={{ playbook_dir }}/clone
      async: 20
      poll: 0
      register: cloning
    - name: slurp, poll 0
      slurp: src={{ playbook_dir }}/origin/README
      async: 20
      poll: 0
      register: slurping
    - name: getent, poll 0
      getent: database=passwd key=root
      async: 20
      poll: 0
      register: getting
    - name: setup, poll 0
      setup: filter=ansible_system
      async: 20
      poll: 0
      register: gathering
    - name: pip failing, poll 0
      pip: name=alpha executable=nosuch-pip3
      async: 20
      poll: 0
      register: no_pip
    - name: every job's file holds its result
      shell: for f in jobs/j*; do case $f in *.*.*) continue ;; esac; while grep -q '^{"started' "$f"; do sleep 0.1; done; done
      args:
        chdir: "{{ playbook_dir }}"
    - name: async_status until finished
      async_status: jid={{ item.ansible_job_id }}
      loop: "{{ [cloning, slurping, getting, gathering, no_pip] }}"
      loop_control: { label: "{{ item.ansible_job_id is defined }}" }
      register: finished
      until: finished.finished
      retries: 3
      delay: 1
      ignore_errors: true
    - name: async in check mode
      file: path={{ playbook_dir }}/never state=touch
      async: 5
      check_mode: true
      register: checked
      ignore_errors: true
    - name: unarchive has no async in Ansible
      unarchive: src={{ playbook_dir }}/none.tar dest={{ playbook_dir }}
      async: 5
      register: unarchived
      ignore_errors: true
    - name: neither has add_host
      add_host: name=other
      async: 5
      ignore_errors: true
    - debug: var=made
    - debug: var=cloning
    - debug: var=finished
    - debug: var=checked
    - debug: var=unarchived
    - debug:
        msg: "{{ finished.results[2].ansible_facts.getent_passwd.root }} {{ getent_passwd is defined }} {{ made is finished }} {{ cloning is finished }} {{ finished.results[0] is finished }} {{ finished.results[4] is failed }} {{ ansible_system | default('unset') }}"
`;

/** Jids, times and durations differ from run to run, and each tool has its own project. */
const normalised = (output: string): string =>
  output
    .slice(output.indexOf('PLAY ['))
    .replace(/j\d+\.\d+/g, 'JID')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+/g, 'TIME')
    .replace(/\d+:\d\d:\d\d\.\d+/g, 'DELTA')
    .replace(/\/tmp\/fleet-local-project-\w+/g, 'PROJECT');

/** The same commit in every project: fixed author, committer and dates. */
function makeOrigin(dir: string): void {
  const origin = join(dir, 'origin');
  const env = { ...process.env, GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2020-01-01T00:00:00Z' };
  for (const args of [['init', '-q', origin], ['-C', origin, 'add', 'README'], ['-C', origin, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one']]) {
    const done = spawnSync('git', args, { env, encoding: 'utf8' });
    expect(done.status, done.stderr).toBe(0);
  }
}

/** What the jobs left: the directory made, the clone, and the job files nobody cleaned up. */
function leftBehind(dir: string) {
  return {
    made: (statSync(join(dir, 'made')).mode & 0o7777).toString(8),
    cloned: readFileSync(join(dir, 'clone', 'README'), 'utf8'),
    jobFiles: readdirSync(join(dir, 'jobs')).length,
    never: existsSync(join(dir, 'never')),
  };
}

describe('async on modules other than command and shell', () => {
  const projects: LocalProject[] = [];
  afterAll(() => {
    for (const project of projects) project.remove();
  });

  it('runs them as jobs, polled and with poll: 0 then async_status, as ansible-playbook 2.14 does', async () => {
    const [ansibleProject, fleetProject] = [0, 1].map(() => localProject({ 'async.yml': PLAYBOOK, 'origin/README': 'hello\n' })) as [LocalProject, LocalProject];
    projects.push(ansibleProject, fleetProject);
    makeOrigin(ansibleProject.dir);
    makeOrigin(fleetProject.dir);
    const [ansible, fleet] = await Promise.all([ansibleProject.runAsync('ansible', ['-v', 'async.yml']), fleetProject.runAsync('fleet', ['-v', 'async.yml'])]);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    expect(normalised(fleet.stdout)).toBe(normalised(ansible.stdout));
    expect(fleet.stderr).toBe(ansible.stderr);
    expect(leftBehind(fleetProject.dir)).toEqual(leftBehind(ansibleProject.dir));
    // The cases the playbook is for, so a change that loses one of them shows here by name.
    const out = normalised(fleet.stdout);
    expect(out).toContain('ASYNC OK on testhost: jid=None\nchanged: [testhost] => {"censored": ');
    expect(out).toContain('"mode": "0750",');
    expect(out).toContain('"after": "');
    expect(out).toContain('"content": "aGVsbG8K"');
    expect(out).toContain('"msg": "Unable to find any of nosuch-pip3 to use.  pip needs to be installed."');
    expect(out).toContain('"msg": "check mode and async cannot be used on same task."');
    expect(out.match(/"msg": "async is not supported for this task."/g)?.length).toBe(3);
    expect(out).toMatch(/testhost +: ok=17 +changed=8 +unreachable=0 +failed=0 +skipped=0 +rescued=0 +ignored=4/);
  });

  it('refuses, before any host is contacted, a module that runs as more than one script', () => {
    const project = localProject({ 'apt.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - apt: upgrade=dist\n      async: 600\n      poll: 5\n' });
    projects.push(project);
    const fleet = project.run('fleet', ['apt.yml']);
    expect(fleet.status).not.toBe(0);
    expect(fleet.stdout).not.toContain('PLAY [');
    expect(fleet.stdout + fleet.stderr).toContain("fleet cannot run 'apt' as an async job: fleet's apt runs as more than one script");
  });
});
