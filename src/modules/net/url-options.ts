import type { ArgOption, Args } from '../argspec.js';
import { expandUser } from '../files/paths.js';
import type { ModuleContext } from '../types.js';
import type { HttpRequest } from './curl-request.js';

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

export function optionalString(args: Args, name: string): string | null {
  const value = args.get(name);
  return typeof value === 'string' ? value : null;
}

/** A path option as the host reads it (`~` expanded there), or null when unset. */
export function optionalPath(args: Args, name: string, ctx: ModuleContext): string | null {
  const value = optionalString(args, name);
  return value === null ? null : expandUser(value, ctx);
}

type UrlRequestFields = 'url' | 'timeoutSeconds' | 'validateCerts' | 'username' | 'password' | 'forceBasicAuth' | 'httpAgent' | 'useProxy' | 'useNetrc' | 'decompress' | 'clientCert' | 'clientKey';

/** The request fields the options every URL module shares give (open_url's arguments from url_argument_spec and the module's own timeout, use_netrc, decompress). */
export function urlRequestFields(args: Args, ctx: ModuleContext): Pick<HttpRequest, UrlRequestFields> {
  return {
    url: String(args.get('url')),
    timeoutSeconds: Number(args.get('timeout')),
    validateCerts: args.get('validate_certs') === true,
    username: optionalString(args, 'url_username'),
    password: optionalString(args, 'url_password'),
    forceBasicAuth: args.get('force_basic_auth') === true,
    httpAgent: String(args.get('http_agent')),
    useProxy: args.get('use_proxy') === true,
    useNetrc: args.get('use_netrc') === true,
    decompress: args.get('decompress') === true,
    clientCert: optionalPath(args, 'client_cert', ctx),
    clientKey: optionalPath(args, 'client_key', ctx),
  };
}
