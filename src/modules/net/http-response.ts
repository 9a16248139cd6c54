import { field } from '../remote.js';
import type { Userland } from '../../shell/userland.js';
import type { RemoteOutput } from '../types.js';

/** What curl reported about a request (curl-request.ts records). */
export interface HttpResponse {
  /** The status code, or -1 when no response came (fetch_url's info['status']). */
  status: number;
  reason: string;
  /** The final response's headers, names as sent, in order. */
  headers: [string, string][];
  /** `name=value` of every Set-Cookie along the redirect chain. */
  cookies: [string, string][];
  redirected: boolean;
  finalUrl: string;
  elapsedSeconds: number;
  /** Why no response came (fetch_url's msg), when status is -1. */
  failure: string | null;
  body: Buffer | null;
}

interface HeaderBlock {
  status: number;
  reason: string;
  headers: [string, string][];
}

/** Splits curl's -D dump (one block per response, a redirect's first) into blocks. */
function headerBlocks(dump: string): HeaderBlock[] {
  const blocks: HeaderBlock[] = [];
  for (const line of dump.split(/\r?\n/)) {
    const statusLine = /^HTTP\/[\d.]+ (\d{3})(?: (.*))?$/.exec(line);
    if (statusLine) {
      blocks.push({ status: Number(statusLine[1]), reason: statusLine[2] ?? '', headers: [] });
      continue;
    }
    const header = /^([^:\s]+):[ \t]*(.*?)[ \t]*$/.exec(line);
    if (header && blocks.length > 0) blocks[blocks.length - 1]!.headers.push([header[1]!, header[2]!]);
  }
  return blocks;
}

/**
 * urllib's URLError text for what curl could not do (connect, resolve, time out). The errno
 * numbers are the host's (Linux's ECONNREFUSED is 111, the BSDs' 61).
 */
function failureMessage(curlRc: number, curlError: string, userland: Userland): string {
  const said = curlError.trim().replace(/^curl: \(\d+\) /, '');
  if (curlRc === 7) {
    // curl 7.88 words every failed connect "Couldn't connect to server"; older ones give strerror.
    const linux = userland.system === 'Linux';
    const [errno, text] = /no route/i.test(said) ? [linux ? 113 : 65, 'No route to host'] : /unreachable/i.test(said) ? [linux ? 101 : 51, 'Network is unreachable'] : [linux ? 111 : 61, 'Connection refused'];
    return `Request failed: <urlopen error [Errno ${errno}] ${text}>`;
  }
  if (curlRc === 6) {
    const text = userland.system === 'Linux' ? '[Errno -2] Name or service not known' : '[Errno 8] nodename nor servname provided, or not known';
    return `Request failed: <urlopen error ${text}>`;
  }
  if (curlRc === 28) return 'Request failed: <urlopen error timed out>';
  return `Request failed: <urlopen error ${said || `curl exited with status ${curlRc}`}>`;
}

export function parseResponse(output: RemoteOutput, userland: Userland): HttpResponse {
  const curlRc = Number(field(output, 'http_rc', '-1'));
  const [code = '000', redirects = '0', seconds = '0', ...urlWords] = field(output, 'http_out').split(' ');
  const blocks = headerBlocks(field(output, 'http_headers'));
  const last = blocks[blocks.length - 1];
  const body = output.fields.has('http_body') ? Buffer.from(field(output, 'http_body'), 'base64') : null;
  const elapsedSeconds = Math.floor(Number(seconds) || 0);
  if (curlRc !== 0 || last === undefined || code === '000') {
    return {
      status: -1,
      reason: '',
      headers: [],
      cookies: [],
      redirected: false,
      finalUrl: '',
      elapsedSeconds,
      failure: failureMessage(curlRc, field(output, 'http_error'), userland),
      body: null,
    };
  }
  const cookies = blocks.flatMap((block) =>
    block.headers.filter(([name]) => name.toLowerCase() === 'set-cookie').flatMap(([, value]): [string, string][] => {
      const pair = /^([^=;]+)=([^;]*)/.exec(value);
      return pair ? [[pair[1]!.trim(), pair[2]!.trim()]] : [];
    }),
  );
  return {
    status: last.status,
    reason: last.reason,
    headers: last.headers,
    cookies,
    redirected: Number(redirects) > 0,
    finalUrl: urlWords.join(' '),
    elapsedSeconds,
    failure: null,
    body,
  };
}

/** Response headers as fetch_url's info has them: lowercased names, repeated ones joined by ", ". */
export function lowercasedHeaders(response: HttpResponse): Map<string, string> {
  const headers = new Map<string, string>();
  for (const [name, value] of response.headers) {
    const key = name.toLowerCase();
    const before = headers.get(key);
    headers.set(key, before === undefined ? value : `${before}, ${value}`);
  }
  return headers;
}

/** fetch_url's info dict: status, msg, url and the headers; cookies only for a 2xx answer (urllib raises for others). */
export function fetchInfo(response: HttpResponse, url: string): Map<string, unknown> {
  const info = new Map<string, unknown>([
    ['url', url],
    ['status', -1],
  ]);
  if (response.failure !== null) {
    info.set('msg', response.failure);
    return info;
  }
  const headers = lowercasedHeaders(response);
  for (const [name, value] of headers) info.set(name, value);
  if (response.status >= 200 && response.status < 300) {
    info.set('cookies_string', response.cookies.map(([name, value]) => `${name}=${value}`).join('; '));
    info.set('cookies', Object.fromEntries(response.cookies));
    info.set('msg', `OK (${headers.get('content-length') ?? 'unknown'} bytes)`);
    info.set('url', response.redirected ? response.finalUrl : url);
  } else {
    info.set('msg', `HTTP Error ${response.status}: ${response.reason}`);
    info.set('body', (response.body ?? Buffer.alloc(0)).toString('utf8'));
  }
  info.set('status', response.status);
  return info;
}

/** email.message's get_content_type and get_param('charset'), as parse_content_type reads them. */
export function contentType(response: HttpResponse): { type: string; subType: string } {
  const header = lowercasedHeaders(response).get('content-type');
  const value = (header ?? '').split(';')[0]!.trim().toLowerCase();
  // A missing or malformed header reads as text/plain.
  const type = /^[^/\s]+\/[^/\s]+$/.test(value) ? value : 'text/plain';
  const [main = 'text', sub = 'plain'] = type.split(',')[0]!.split('/');
  return { type: main, subType: sub };
}

/** get_response_filename: Content-Disposition's filename, else the URL path's last part, unquoted. */
export function responseFilename(response: HttpResponse, url: string): string | null {
  const disposition = lowercasedHeaders(response).get('content-disposition');
  const named = disposition ? /filename="?([^";]+)"?/i.exec(disposition)?.[1] : undefined;
  if (named) return named;
  const path = new URL(response.redirected ? response.finalUrl : url).pathname.replace(/\/+$/, '');
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last === '') return null;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
