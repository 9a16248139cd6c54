/** ensure_type(value, 'boolean'): Ansible's boolean() of a setting's text. */
export function configBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return /^(1|true|yes|on|y|t)$/i.test(value.trim());
}
