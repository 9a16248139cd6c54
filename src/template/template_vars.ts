import { readFileSync, statSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { PyDatetime } from './runtime/datetime.js';
import type { PyValue } from './values.js';

/** pwd.getpwuid(uid).pw_name, or the uid as text when there is no such user. */
function ownerName(uid: number): string {
  if (uid === userInfo().uid) return userInfo().username;
  try {
    const entry = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[2] === String(uid));
    if (entry?.[0]) return entry[0];
  } catch {
    // no passwd file to read: Ansible's KeyError path
  }
  return String(uid);
}

/**
 * generate_ansible_template_vars (lib/ansible/template/__init__.py): the variables the
 * template module and the template lookup add while rendering the file at `fullpath`.
 */
export function ansibleTemplateVars(path: string, fullpath: string, destPath: string | null): Map<string, PyValue> {
  const stats = statSync(fullpath, { bigint: true });
  return new Map<string, PyValue>([
    ['template_host', hostname()],
    ['template_path', path],
    ['template_mtime', PyDatetime.fromTimestampNs(stats.mtimeNs)],
    ['template_uid', ownerName(Number(stats.uid))],
    ['template_run_date', PyDatetime.now(false)],
    ['template_destpath', destPath],
    ['template_fullpath', fullpath],
    // DEFAULT_MANAGED_STR's default has no {fields} nor strftime codes: formatting leaves it as it is.
    ['ansible_managed', 'Ansible managed'],
  ]);
}
