/**
 * A play's `strategy`. Under `free` (and `host_pinned`) each host goes through its tasks
 * without waiting for the others: here a2's first task waits for a file a1 writes at its end,
 * and a3's for a2's, which under linear would hang; the output shows each host's run in turn,
 * with a banner whenever another task's result came between, as ansible-playbook prints it.
 * fleet used to run every strategy as linear, with a warning. A name no plugin has stops the
 * run with Ansible's message and exit code, before any play runs when it is written out
 * (ansible-playbook stops when that play starts).
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const HOSTS = ['a1', 'a2 wait_for=a1', 'a3 wait_for=a2'].map((host) => `${host} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`).join('');

// a1 waits for nothing; a2 for a1's last task, a3 for a2's (then a second, so the host before
// has surely reported; under linear each gives up after 10 s and fails). a3 fails at the end: linear's max_fail_percentage would stop the play.
const FREE = `- hosts: a1:a2:a3
  gather_facts: no
  strategy: free
  max_fail_percentage: 10
  tasks:
    - name: wait for the host before
      shell: "i=0; while [ ! -e {{ dir }}/{{ wait_for }}.done ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done; [ -e {{ dir }}/{{ wait_for }}.done ] && sleep 1"
      when: wait_for is defined
      notify: wake
    - include_tasks: included.yml
    - block:
        - name: a2 fails and is rescued
          fail: msg=no
          when: inventory_hostname == 'a2'
      rescue:
        - debug: msg=rescued
    - name: once
      command: echo {{ inventory_hostname }}
      run_once: true
      register: once
      changed_when: false
    - debug: var=once.stdout
    - meta: flush_handlers
    - name: a loop
      debug: msg="{{ item }}"
      loop: [1, 2]
      any_errors_fatal: true
    - name: a3 fails for good
      fail: msg=down
      when: inventory_hostname == 'a3'
    - name: signal the next host
      file: path={{ dir }}/{{ inventory_hostname }}.done state=touch
  handlers:
    - name: wake
      debug: msg=handler
# No strategy of its own: ANSIBLE_STRATEGY's.
- hosts: a1
  gather_facts: no
  tasks:
    - debug: msg=pinned
`;
const INCLUDED = '- name: included\n  debug: msg="included for {{ inventory_hostname }}"\n';
const ADD_HOST = '- hosts: a1\n  gather_facts: no\n  strategy: free\n  tasks:\n    - debug: msg=first\n    - add_host: name=new1\n';
const DEBUG = '- hosts: a1\n  gather_facts: no\n  strategy: debug\n  tasks:\n    - debug: msg=linear\n';
const BOGUS = '- hosts: a1\n  gather_facts: no\n  tasks:\n    - debug: msg=first\n- hosts: a1\n  gather_facts: no\n  strategy: bogus\n  tasks:\n    - debug: msg=second\n';
const TEMPLATED = '- hosts: a1\n  gather_facts: no\n  strategy: "{{ chosen }}"\n  tasks:\n    - debug: msg=templated\n';

let project: LocalProject;

describe.skipIf(!hasAnsible())('play strategy', () => {
  beforeAll(() => {
    project = localProject({ 'hosts.ini': HOSTS, 'free.yml': FREE, 'included.yml': INCLUDED, 'add_host.yml': ADD_HOST, 'debug.yml': DEBUG, 'bogus.yml': BOGUS, 'templated.yml': TEMPLATED });
  });

  afterAll(() => project.remove());

  it('runs free and host_pinned host by host, printing and counting what ansible-playbook does', async () => {
    const run = async (tool: 'ansible' | 'fleet', dir: string) =>
      project.runAsync(tool, ['-i', 'hosts.ini', '-e', `dir=${project.dir}/${dir}`, 'free.yml'], { ANSIBLE_STRATEGY: 'host_pinned' });
    for (const dir of ['ansible', 'fleet']) mkdirSync(`${project.dir}/${dir}`);
    const [ansible, fleet] = await Promise.all([run('ansible', 'ansible'), run('fleet', 'fleet')]);
    expect(ansible.status, ansible.stdout + ansible.stderr).toBe(2);
    expect(fleet.status).toBe(2);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe(ansible.stderr);
    // In the free play each host's results come together: a1's run, then a2's, then a3's.
    const freePlay = fleet.stdout.slice(0, fleet.stdout.indexOf('PLAY [a1]'));
    const hostsInOrder = [...freePlay.matchAll(/^\w+: \[(a\d)\]/gm)].map((match) => match[1]);
    expect(hostsInOrder).toEqual([...hostsInOrder].sort());
    expect(new Set(hostsInOrder)).toEqual(new Set(['a1', 'a2', 'a3']));
  }, 120_000);

  it('ends the run when a free play reaches a module that bypasses the host loop', () => {
    const { ansible, fleet } = project.both(['-i', 'hosts.ini', 'add_host.yml'], 1);
    const firstLine = (text: string) => text.split('\n')[0];
    expect(firstLine(fleet.stderr)).toBe(firstLine(ansible.stderr));
    expect(firstLine(fleet.stderr)).toContain("ERROR! The 'add_host' module bypasses the host loop");
  }, 120_000);

  it('runs debug as linear, saying so', () => {
    const { ansible, fleet } = project.both(['-i', 'hosts.ini', 'debug.yml']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stderr).toBe("[WARNING]: fleet runs the 'debug' strategy as 'linear': it has no task debugger\n");
  }, 120_000);

  it('refuses a strategy no plugin has, with exit 1, before any play runs', () => {
    const fleet = project.run('fleet', ['-i', 'hosts.ini', 'bogus.yml']);
    const ansible = project.run('ansible', ['-i', 'hosts.ini', 'bogus.yml']);
    expect(fleet.status).toBe(ansible.status);
    expect(fleet.stderr.split('\n')[0]).toBe('ERROR! Invalid play strategy specified: bogus (at [1].strategy)');
    expect(ansible.stderr.split('\n')[0]).toBe('ERROR! Invalid play strategy specified: bogus');
    expect(fleet.stdout).not.toContain('first');
    const templated = project.run('fleet', ['-i', 'hosts.ini', '-e', 'chosen=nope', 'templated.yml']);
    expect(templated.status).toBe(1);
    expect(templated.stderr.split('\n')[0]).toBe('ERROR! Invalid play strategy specified: nope');
  }, 120_000);
});
