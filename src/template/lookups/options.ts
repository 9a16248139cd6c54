import type { PyValue } from '../values.js';

/**
 * A lookup's options: its documented defaults overridden by the keywords given. Ansible's
 * `set_options(direct=kwargs)` ignores keywords a lookup does not document, and so does this.
 */
export function lookupOptions<T extends Record<string, PyValue>>(
  kwargs: Map<string, PyValue>,
  defaults: T,
): { [K in keyof T]: PyValue } {
  const options: Record<string, PyValue> = { ...defaults };
  for (const key of Object.keys(defaults)) {
    const given = kwargs.get(key);
    if (given !== undefined) options[key] = given;
  }
  return options as { [K in keyof T]: PyValue };
}
