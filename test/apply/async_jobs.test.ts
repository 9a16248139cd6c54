import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fleetProgram } from '../support/fleet_cli.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';
import { localProject, type LocalProject } from './local_project.js';

/** Jids, times, durations and pids differ from run to run; everything else must not. */
const normalised = (output: string): string =>
  output
    .replace(/j\d+\.\d+/g, 'JID')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+/g, 'TIME')
    .replace(/\d+:\d\d:\d\d\.\d+/g, 'DELTA')
    .replace(/"child_pid": \d+/g, '"child_pid": PID')
    .replace(/"elapsed": \d+/g, '"elapsed": SECONDS')
    .replace(/\/tmp\/fleet-local-project-\w+/g, 'PROJECT');

const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    # The job ends when the play lets it (a go file), not after a sleep: on a loaded machine
    # either tool's first check could come after a timed job had ended.
    - name: poll 0 starts the job and goes on
      shell: while [ ! -e go ]; do sleep 0.1; done; touch went
      args:
        chdir: "{{ playbook_dir }}"
      async: 20
      poll: 0
      register: started
    - name: async_status until it finished, while it cannot
      async_status: jid={{ started.ansible_job_id }}
      register: waiting
      until: waiting.finished
      retries: 1
      delay: 0
      ignore_errors: true
    - name: let the job end
      file: path={{ playbook_dir }}/go state=touch
    - wait_for: path={{ playbook_dir }}/went
    - name: async_status until it finished
      async_status: jid={{ started.ansible_job_id }}
      register: status
      until: status.finished
      retries: 5
      delay: 1
    - name: polled past its time limit
      command: sleep 3
      async: 1
      poll: 1
      register: late
      ignore_errors: true
    - name: polled, failing
      shell: echo out; echo err >&2; exit 3
      async: 5
      poll: 1
      register: failing
      until: failing.rc == 3
      retries: 1
      delay: 0
      ignore_errors: true
    - name: polled in a loop, changed_when and failed_when
      shell: echo {{ item }}; exit {{ item }}
      async: 5
      poll: 1
      loop: [0, 1]
      changed_when: false
      failed_when: polled_loop.rc > 1
      register: polled_loop
    - name: poll 0 in a loop
      command: echo {{ item }}
      async: 5
      poll: 0
      loop: [b]
      register: fired
      vars:
        ansible_async_dir: "{{ playbook_dir }}/jobs"
    - name: cleanup
      async_status: jid={{ item.ansible_job_id }} mode=cleanup
      loop: "{{ fired.results }}"
      register: cleaned
      vars:
        ansible_async_dir: "{{ playbook_dir }}/jobs"
    - name: no such job
      async_status: jid=j1.2
      register: missing
      ignore_errors: true
    - name: async_status in check mode
      async_status: jid={{ started.ansible_job_id }}
      check_mode: true
      register: status_checked
    - name: async in check mode
      command: echo never
      async: 5
      poll: 0
      check_mode: true
      register: checked
      ignore_errors: true
    - debug: var=started
    - debug: var=waiting
    - debug: var=status
    - debug: var=late
    - debug: var=failing
    - debug: var=polled_loop
    - debug: var=cleaned
    - debug: var=missing
    - debug: var=checked
    - debug: var=status_checked
    - debug:
        msg: "{{ checked is finished }} {{ checked is started }} {{ started is finished }}"
`;

describe('async and poll', () => {
  let project: LocalProject | undefined;
  let twin: LocalProject | undefined;
  afterAll(() => {
    project?.remove();
    twin?.remove();
  });

  it('prints and registers what ansible-playbook 2.14 does, on a local connection', async () => {
    project = localProject({ 'async.yml': PLAYBOOK });
    // Each tool in its own directory: the play's go file must release only its own job.
    twin = localProject({ 'async.yml': PLAYBOOK });
    const [ansible, fleet] = await Promise.all([project.runAsync('ansible', ['-v', 'async.yml']), twin.runAsync('fleet', ['-v', 'async.yml'])]);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(0);
    expect(fleet.status, fleet.stdout + fleet.stderr).toBe(0);
    const fromPlay = (text: string) => normalised(text.slice(text.indexOf('PLAY [')));
    expect(fromPlay(fleet.stdout)).toBe(fromPlay(ansible.stdout));
    expect(fleet.stderr).toBe(ansible.stderr);
    // The cases the playbook is for, so a change that loses one of them shows here by name.
    const out = fromPlay(fleet.stdout);
    expect(out).toContain(
      'FAILED - RETRYING: [testhost]: async_status until it finished, while it cannot (1 retries left).\nfatal: [testhost]: FAILED! => {"ansible_job_id": "JID", "attempts": 1, "changed": false, "finished": 0',
    );
    expect(out).toMatch(/TASK \[async_status until it finished\] \*+\nchanged: \[testhost\] => \{"ansible_job_id": "JID", "attempts": 1, "changed": true, "cmd": "while/);
    expect(out).toContain('ASYNC POLL on testhost: jid=JID started=1 finished=0\nASYNC FAILED on testhost: jid=JID\n');
    expect(out).toContain('"msg": "async task did not complete within the requested time - 1s"');
    expect(out).toContain('ASYNC FAILED on testhost: jid=JID\nfatal: [testhost]: FAILED! => {"ansible_job_id": "JID", "attempts": 1, "changed": true, "cmd": "echo out; echo err >&2; exit 3"');
    expect(out).toContain('ASYNC OK on testhost: jid=JID\nok: [testhost] => (item=0)');
    expect(out).toContain('ASYNC FAILED on testhost: jid=JID\nok: [testhost] => (item=1)');
    expect(out).toContain('"erased": "PROJECT/jobs/JID"');
    expect(out).toContain('"msg": "could not find job"');
    expect(out).toContain('"msg": "check mode and async cannot be used on same task."');
    expect(out).toContain('"msg": "remote module (ansible.legacy.async_status) does not support check mode"');
    expect(fleet.stderr).toContain("[WARNING]: The 'started' test expects an async task, but a non-async task was\ntested");
    expect(out).toMatch(/testhost +: ok=23 +changed=5 +unreachable=0 +failed=0 +skipped=1 .* ignored=5/);
  });

  it('leaves a poll: 0 job running on an sshd host after the run, for a later run to collect, in ANSIBLE_ASYNC_DIR', () => {
    const host = ensureSandbox(46)[45] as SandboxHost;
    const dir = project?.dir ?? '';
    writeFileSync(
      join(dir, 'sshd_inventory'),
      `${host.name} ansible_host=${host.address} ansible_port=${host.port} ansible_user=${host.user} ansible_ssh_private_key_file=${host.keyFile} ansible_ssh_common_args='-o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes'\n`,
    );
    writeFileSync(
      join(dir, 'start.yml'),
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - shell: sleep 1; echo survived\n      async: 30\n      poll: 0\n      register: job\n    - debug: msg="JOB={{ job.ansible_job_id }}"\n`,
    );
    writeFileSync(
      join(dir, 'collect.yml'),
      `- hosts: all\n  gather_facts: false\n  tasks:\n    - async_status: jid={{ jid }}\n      register: s\n      until: s.finished\n      retries: 5\n      delay: 1\n    - debug: var=s.stdout\n    - async_status: jid={{ jid }} mode=cleanup\n`,
    );
    const fleet = (args: string[]) => {
      const [node, argv] = fleetProgram(['apply', '-i', 'sshd_inventory', ...args]);
      return spawnSync(node, argv, { cwd: dir, encoding: 'utf8', input: '', env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_ASYNC_DIR: '~/fleet async jobs' } });
    };
    const start = fleet(['start.yml']);
    expect(start.status, start.stdout + start.stderr).toBe(0);
    // Honoured, so not among the settings fleet warns it ignores.
    expect(start.stderr).not.toContain('ASYNC_DIR');
    const jid = /JOB=(j\d+\.\d+)/.exec(start.stdout)?.[1] ?? '';
    expect(jid).not.toBe('');
    const jobFile = join(host.home, 'fleet async jobs', jid);
    expect(existsSync(jobFile)).toBe(true);
    const collect = fleet(['-e', `jid=${jid}`, 'collect.yml']);
    expect(collect.status, collect.stdout + collect.stderr).toBe(0);
    expect(collect.stdout).toContain('"s.stdout": "survived"');
    expect(readdirSync(join(host.home, 'fleet async jobs')).filter((name) => name.startsWith(jid))).toEqual([]);
  });
});
