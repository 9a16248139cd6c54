import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderedTemplates } from '../../src/fleet/rendered_templates.js';
import { copyOfContent, removeCopies, runInput } from './content.js';

const projects: string[] = [];
afterAll(() => {
  removeCopies();
  for (const root of projects) rmSync(root, { recursive: true, force: true });
});

/** A throw-away project directory holding `files` (paths relative to it). */
function project(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'fleet-rendered-')));
  projects.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('the pre-flight template rendering', () => {
  it('renders for the hosts --limit leaves, not the whole inventory', () => {
    const root = copyOfContent();
    const input = runInput(root, 'inventory/hosts.yml', 'playbooks/site.yml');
    const everyHost = new Set(renderedTemplates(input).rendered.map((each) => each.host));
    expect(everyHost.size).toBeGreaterThan(1);
    const [one] = [...everyHost];
    const limited = new Set(renderedTemplates({ ...input, limit: one }).rendered.map((each) => each.host));
    expect([...limited]).toEqual([one]);
  });

  it('finds and reads each file once, yet renders per host: a src templated per host, a missing file per host', () => {
    const root = project({
      'inventory.yml': 'all:\n  hosts:\n    h1:\n    h2:\n    h3:\n',
      'host_vars/h3.yml': 'flavour: b\n',
      'a.j2': 'a for {{ inventory_hostname }}\n',
      'b.j2': 'b for {{ inventory_hostname }}\n',
      'site.yml': '- hosts: all\n  tasks:\n    - template: src="{{ flavour | default(\'a\') }}.j2" dest=/tmp/x\n    - template: src="{{ inventory_hostname }}-only.j2" dest=/tmp/y\n',
      'h2-only.j2': 'only h2\n',
    });
    const { rendered, skipped } = renderedTemplates(runInput(root, 'inventory.yml', 'site.yml'));
    expect(rendered).toEqual([
      { source: join(root, 'a.j2'), host: 'h1', text: 'a for h1\n' },
      { source: join(root, 'a.j2'), host: 'h2', text: 'a for h2\n' },
      { source: join(root, 'h2-only.j2'), host: 'h2', text: 'only h2\n' },
      { source: join(root, 'b.j2'), host: 'h3', text: 'b for h3\n' },
    ]);
    expect(skipped).toEqual(['h1-only.j2 for h1: template not found', 'h3-only.j2 for h3: template not found']);
  });

  it('shares renders only between hosts whose every variable the render read is alike, undefined ones included', () => {
    const root = project({
      'inventory.yml': 'all:\n  hosts:\n    h1:\n    h2:\n  children:\n    web:\n      hosts:\n        h3:\n        h4:\n',
      // h2 alone defines what the others need facts for; h4's list differs from its group's only in its last item.
      'host_vars/h2.yml': 'ansible_user_dir: /home/h2\n',
      'group_vars/all.yml': 'ports: [80, 443]\nsettings: {mode: plain}\n',
      'group_vars/web.yml': 'settings: {mode: tls}\n',
      'host_vars/h4.yml': 'ports: [80, 8443]\n',
      'home.j2': 'root = {{ app_root }}\n',
      'ports.j2': 'ports = {{ ports | join(",") }}; mode = {{ settings.mode }}\n',
      'site.yml': '- hosts: all\n  vars:\n    app_root: "{{ ansible_user_dir }}/app"\n  tasks:\n    - template: src=home.j2 dest=/tmp/x\n    - template: src=ports.j2 dest=/tmp/y\n',
    });
    const { rendered, skipped } = renderedTemplates(runInput(root, 'inventory.yml', 'site.yml'));
    const text = (source: string) => Object.fromEntries(rendered.filter((each) => each.source === join(root, source)).map((each) => [each.host, each.text]));
    expect(text('home.j2')).toEqual({ h2: 'root = /home/h2/app\n' });
    expect(skipped.map((line) => line.split(':')[0])).toEqual(['h1', 'h3', 'h4'].map((host) => `${join(root, 'home.j2')} for ${host}`));
    expect(text('ports.j2')).toEqual({
      h1: 'ports = 80,443; mode = plain\n',
      h2: 'ports = 80,443; mode = plain\n',
      h3: 'ports = 80,443; mode = tls\n',
      h4: 'ports = 80,8443; mode = tls\n',
    });
  });
});
