import type { ArgOption } from '../argspec.js';

/** module_utils/urls.py url_argument_spec(); use_gssapi (Kerberos) is not implemented. */
export const URL_OPTIONS: Record<string, ArgOption> = {
  url: { type: 'str', required: true },
  force: { type: 'bool', default: false },
  http_agent: { type: 'str', default: 'ansible-httpget' },
  use_proxy: { type: 'bool', default: true },
  validate_certs: { type: 'bool', default: true },
  url_username: { type: 'str' },
  url_password: { type: 'str', noLog: true },
  force_basic_auth: { type: 'bool', default: false },
  client_cert: { type: 'path' },
  client_key: { type: 'path' },
  use_gssapi: { type: 'bool', default: false },
};
