/**
 * The `generator` inventory plugin (a `plugin: generator` YAML file the auto plugin hands on),
 * compared with ansible-inventory 2.14: Ansible's documented example (hosts from every
 * combination of the layers, nested templated parents with templated vars), and a
 * configuration without `layers`, one whose parent has no name and one whose parent's name is
 * a number, which fail as the plugin does.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasAnsible } from '../apply/support.js';
import { fleetBinDir } from '../support/fleet_cli.js';
import { runIn, unwrapped } from './tool_run.js';

const FILES: Record<string, string> = {
  'generated.yml': `plugin: generator
hosts:
  name: "{{ operation }}_{{ application }}_{{ environment }}_runner"
  parents:
    - name: "{{ operation }}_{{ application }}_{{ environment }}"
      parents:
        - name: "{{ operation }}_{{ application }}"
          parents:
            - name: "{{ operation }}"
            - name: "{{ application }}"
        - name: "{{ application }}_{{ environment }}"
          parents:
            - name: "{{ application }}"
              vars:
                application: "{{ application }}"
            - name: "{{ environment }}"
              vars:
                environment: "{{ environment }}"
    - name: runner
layers:
  operation: [build, launch]
  environment: [dev, prod]
  application: [web, api]
`,
  'no-layers.yml': 'plugin: ansible.builtin.generator\nhosts:\n  name: x\n',
  'nameless-parent.yml': 'plugin: generator\nhosts:\n  name: "h{{ n }}"\n  parents:\n    - vars: {a: 1}\nlayers:\n  n: [1, 2]\n',
  'number-parent.yml': 'plugin: generator\nhosts:\n  name: "h{{ n }}"\n  parents:\n    - name: 5\nlayers:\n  n: [1, 2]\n',
};

let dir: string;
let fleet: string;

describe.skipIf(!hasAnsible())('the generator inventory plugin, as in ansible-inventory', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-generator-'));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
    fleet = join(fleetBinDir(), 'fleet');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('generates the same hosts, groups and variables, and fails the same way', () => {
    for (const args of [['-i', 'generated.yml', '--list'], ['-i', 'generated.yml', '--graph'], ['-i', 'no-layers.yml', '-i', 'nameless-parent.yml', '-i', 'number-parent.yml', '--graph']]) {
      const ansible = runIn(dir, 'ansible-inventory', args);
      const ours = runIn(dir, fleet, ['inventory', ...args]);
      expect(ours.status, ours.stderr).toBe(ansible.status);
      expect(ours.stdout).toBe(ansible.stdout);
      expect(unwrapped(ours.stderr)).toBe(unwrapped(ansible.stderr));
    }
    const listed = runIn(dir, 'ansible-inventory', ['-i', 'generated.yml', '--graph']).stdout;
    expect(listed).toContain('launch_api_prod_runner');
    expect(unwrapped(runIn(dir, 'ansible-inventory', ['-i', 'nameless-parent.yml', '--graph']).stderr)).toContain("with auto plugin: 'name'");
  });
});
