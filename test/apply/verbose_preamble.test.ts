/**
 * What ansible-playbook prints before its first play (CLI.run): at -v the config file in use,
 * or that there is none; at -vv its version first, for which fleet prints its own. fleet
 * printed neither.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionText } from '../../src/cli/version.js';
import { localProject, type LocalProject } from './local_project.js';
import { hasAnsible } from './support.js';

const PLAYBOOK = '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n';

let project: LocalProject;

describe.skipIf(!hasAnsible())('the lines before the first play, as ansible-playbook prints them', () => {
  beforeAll(() => {
    project = localProject({ 'site.yml': PLAYBOOK });
  });
  afterAll(() => project.remove());

  it('-v without an ansible.cfg, and --list-tasks -v', () => {
    for (const args of [['site.yml', '-v'], ['site.yml', '--list-tasks', '-v']]) {
      const { ansible, fleet } = project.both(args);
      expect(fleet.stdout).toBe(ansible.stdout);
      expect(fleet.stdout).toMatch(/^No config file found; using defaults\n/);
    }
  });

  it('-v with ./ansible.cfg', () => {
    writeFileSync(join(project.dir, 'ansible.cfg'), '[defaults]\n');
    const { ansible, fleet } = project.both(['site.yml', '-v']);
    expect(fleet.stdout).toBe(ansible.stdout);
    expect(fleet.stdout).toMatch(/^Using \S+\/ansible\.cfg as config file\n/);
  });

  it("-vv: fleet's version where ansible-playbook prints its own, then the same lines", () => {
    const { ansible, fleet } = project.both(['site.yml', '-vv']);
    expect(fleet.stdout.startsWith(`${versionText()}\nUsing `)).toBe(true);
    const fromConfigLine = (output: string) => output.slice(output.indexOf('Using ')).split('\n')[0];
    expect(fromConfigLine(fleet.stdout)).toBe(fromConfigLine(ansible.stdout));
  });
});
