/**
 * Names every template can read without the project defining them: Ansible's magic
 * variables (docs: reference_appendices/special_variables), the template action's own
 * variables, Jinja2's and Ansible's globals, and the template-local names Jinja2 provides.
 * Facts and connection variables all start with `ansible_` and are taken as known.
 */
const ALWAYS_KNOWN: ReadonlySet<string> = new Set([
  // magic variables
  'hostvars', 'groups', 'group_names', 'inventory_hostname', 'inventory_hostname_short', 'inventory_dir', 'inventory_file',
  'play_hosts', 'playbook_dir', 'role_name', 'role_names', 'role_path', 'role_uuid', 'omit', 'vars', 'environment', 'item',
  'module_setup', 'gather_subset',
  // the template action (plugins/action/template.py)
  'template_host', 'template_path', 'template_fullpath', 'template_destpath', 'template_mtime', 'template_uid', 'template_run_date',
  // Jinja2 and Ansible globals
  'range', 'dict', 'lipsum', 'cycler', 'joiner', 'namespace', 'lookup', 'query', 'q', 'now', 'undef',
  // template-local names
  'loop', 'caller', 'varargs', 'kwargs', 'self', 'super', 'true', 'false', 'none', 'True', 'False', 'None',
]);

export function isAlwaysKnown(name: string): boolean {
  return ALWAYS_KNOWN.has(name) || name.startsWith('ansible_');
}
