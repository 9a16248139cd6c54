import { describe, expect, it } from 'vitest';
import { fleet, makeProject } from './project.js';

/** What -vv adds to a run's output: `N plays in`, NOTIFIED HANDLER and META lines, and a warning each host's worker shows. */
const SITE = `- hosts: web1:web2
  gather_facts: false
  tasks:
    - name: change
      command: "true"
      notify: "restart {{ item }}"
      loop: [a]
    - meta: flush_handlers
    - meta: noop
    - name: a warning per host
      debug:
        msg: shown
      when: "{{ true }}"
    - meta: end_host
      when: inventory_hostname == 'web2'
  handlers:
    - name: restart a
      debug:
        msg: restarted
`;

describe('fleet history show of a -vv run', () => {
  it('prints what the run printed, META and NOTIFIED HANDLER lines and repeated warnings included', async () => {
    const project = makeProject({ 'site.yml': SITE }, 'h61');
    const run = await fleet(project, ['apply', '-i', 'inventory.yml', 'site.yml', '-vv']);
    expect(run.status, run.stderr).toBe(0);
    for (const line of ['1 plays in site.yml', 'NOTIFIED HANDLER restart a for web1', 'META: triggered running handlers for web2', 'META: noop', 'META: ending play for web2']) {
      expect(run.stdout).toContain(line);
    }
    expect(run.stderr.match(/\[WARNING\]: conditional statements/g)).toHaveLength(2);
    const shown = await fleet(project, ['history', 'show', '1']);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toBe(run.stdout);
    const [headline, ...warnings] = shown.stderr.split(/(?<=\n)/);
    expect(headline).toMatch(/^run 1: fleet apply -i inventory.yml site.yml -vv /);
    expect(warnings.join('')).toBe(run.stderr);
  }, 120_000);
});
