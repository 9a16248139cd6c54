import { Secret, sh, Script } from '../../shell/script.js';

/** One HTTP request as Ansible's fetch_url makes it (module_utils/urls.py), to be made by curl on the host. */
export interface HttpRequest {
  url: string;
  method: string;
  /** The request body's bytes, or null for none. */
  body: Buffer | null;
  headers: readonly (readonly [string, string])[];
  timeoutSeconds: number;
  /** Whether a 3xx answer is followed (decided from follow_redirects and the method: followMode). */
  follow: boolean;
  validateCerts: boolean;
  username: string | null;
  password: string | null;
  forceBasicAuth: boolean;
  httpAgent: string;
  useProxy: boolean;
  useNetrc: boolean;
  decompress: boolean;
  caPath: string | null;
  clientCert: string | null;
  clientKey: string | null;
  unixSocket: string | null;
  /**
   * Sends If-Modified-Since with the mtime of the file the caller's script names in `$fh_ims`
   * (fetch_url's last_mod_time), when that is set and a file.
   */
  ifModifiedSince: boolean;
}

/**
 * Whether urllib's redirect handler, as Ansible's RedirectHandlerFactory configures it, follows
 * a redirect of METHOD: `safe` only GET and HEAD, `urllib2` also POST (which becomes a GET),
 * `all`/`yes` everything, `no`/`none` nothing.
 */
export function followsRedirects(mode: string, method: string): boolean {
  if (mode === 'all' || mode === 'yes') return true;
  if (mode === 'safe') return method === 'GET' || method === 'HEAD';
  if (mode === 'urllib2') return method === 'GET' || method === 'HEAD' || method === 'POST';
  return false;
}

/** A value in a curl config file: double-quoted, backslash and quote escaped, line breaks as escapes. */
function configValue(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/**
 * What curl reads from its config on stdin (`-K -`): the URL, headers and credentials, kept
 * off its command line where `ps` would show them.
 */
function curlConfig(request: HttpRequest): string {
  const lines = [`url = ${configValue(request.url)}`];
  for (const [name, value] of request.headers) lines.push(`header = ${configValue(`${name}: ${value}`)}`);
  if (request.username !== null) lines.push(`user = ${configValue(`${request.username}:${request.password ?? ''}`)}`);
  return lines.join('\n');
}

/** curl's flags for the request, as shell words appended to `$@`. */
function curlFlags(request: HttpRequest): Script {
  const flags: Script[] = [sh`set -- "$@" -A ${request.httpAgent}`];
  const add = (words: string[]) => flags.push(Script.concat(['set -- "$@"', ...words.flatMap((word) => [' ', sh`${word}`])]));
  if (request.follow) add(['-L', '--max-redirs', '10']);
  if (!request.validateCerts) add(['-k']);
  if (request.timeoutSeconds > 0) {
    const seconds = String(request.timeoutSeconds);
    // A socket timeout: connecting, and then any stretch of that long without data.
    add(['--connect-timeout', seconds, '--speed-time', seconds, '--speed-limit', '1']);
  }
  // urllib asks for 100-continue never; curl would for a body over 1 MiB.
  if (request.body !== null) add(['-H', 'Expect:']);
  if (request.username !== null) add([request.forceBasicAuth ? '--basic' : '--anyauth']);
  else if (request.useNetrc) add(['--netrc-optional']);
  if (!request.useProxy) add(['--noproxy', '*']);
  if (request.decompress) add(['--compressed']);
  if (request.caPath !== null) add(['--cacert', request.caPath]);
  if (request.clientCert !== null) add(['--cert', request.clientCert]);
  if (request.clientKey !== null) add(['--key', request.clientKey]);
  if (request.unixSocket !== null) add(['--unix-socket', request.unixSocket]);
  // A POST with a body is left to curl's --data so that a followed 301/302/303 turns it into a
  // GET, as urllib does.
  // HEAD asks for headers only (curl writes them where the body would go: emptied after).
  if (request.method === 'HEAD') add(['-I']);
  else if (!(request.method === 'GET' && request.body === null) && !(request.method === 'POST' && request.body !== null)) add(['-X', request.method]);
  if (request.body !== null) flags.push(Script.raw('set -- "$@" --data-binary "@$fh_dir/request"'));
  if (request.ifModifiedSince) flags.push(Script.raw('if [ -n "$fh_ims" ] && [ -f "$fh_ims" ]; then set -- "$@" -z "$fh_ims"; fi'));
  return Script.join(flags);
}

/**
 * Shell that makes the request into a fresh directory `$fh_dir` (response body in
 * `$fh_dir/response`) and emits `http_rc` (curl's exit status), `http_out` (status code,
 * redirect count, seconds taken and final URL), `http_error` (curl's complaint) and
 * `http_headers` (every response's header block, the final one last). `$fh_status` holds
 * the status code. Needs filesLib (fleet_fail).
 */
export function curlRequestScript(request: HttpRequest): Script {
  const config = curlConfig(request);
  const body = request.body === null ? Script.raw(':') : Script.raw(`fleet_b64d > "$fh_dir/request" <<'FLEET_BODY_END' || fleet_http_fail 'could not write the request body'\n${request.body.toString('base64').replace(/.{1,76}/g, '$&\n')}FLEET_BODY_END`);
  return Script.join([
    Script.library(`# Removes the request's directory, then fails.
fleet_http_fail() { rm -rf -- "$fh_dir"; fleet_fail "$1"; }`),
    Script.raw(`command -v curl >/dev/null 2>&1 || fleet_fail 'fleet makes HTTP requests on the host with curl, which is not installed there'
fh_dir=$(mktemp -d "\${TMPDIR:-/tmp}/fleet-http.XXXXXX") || fleet_fail 'could not create a temporary directory for the HTTP request'`),
    body,
    Script.raw('set -- --http1.1 -sS -K - -o "$fh_dir/response" -D "$fh_dir/headers" -w \'%{http_code} %{num_redirects} %{time_total} %{url_effective}\''),
    curlFlags(request),
    sh`fh_config=${request.password !== null ? new Secret(config) : config}`,
    Script.raw(`: > "$fh_dir/headers"
fh_out=$(printf '%s\\n' "$fh_config" | curl "$@" 2>"$fh_dir/error")
fleet_emit http_rc "$?"
fleet_emit http_out "$fh_out"
fh_status=\${fh_out%% *}
${request.method === 'HEAD' ? ': > "$fh_dir/response"' : ':'}
fleet_emit_file http_error "$fh_dir/error"
fleet_emit_file http_headers "$fh_dir/headers"`),
  ]);
}

/** Emits the response body as base64 (`http_body`): records travel as text, the body may not be. */
export function emitResponseBody(): Script {
  return Script.raw(`if [ -f "$fh_dir/response" ]; then base64 < "$fh_dir/response" | tr -d '\\n' | fleet_emit_stdin http_body; fi`);
}
