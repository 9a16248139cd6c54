import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A project directory under `root` holding a one-task playbook (play.yml) and, if given, an ansible.cfg. */
export function cfgProject(root: string, name: string, cfg?: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'play.yml'), '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: msg=hi\n');
  if (cfg !== undefined) writeFileSync(join(dir, 'ansible.cfg'), cfg);
  return dir;
}
