import { sh, Script } from '../../shell/script.js';
import { jsonLoads } from '../../template/filters/json.js';
import { pyRepr, pyStr } from '../../template/python/index.js';
import { PyDict } from '../../template/values.js';
import type { Args, ArgSpec } from '../argspec.js';
import { attributeWantsOrFailure, type AttributeWants } from '../files/attributes.js';
import { FILE_COMMON_OPTIONS } from '../files/common-args.js';
import { lines } from '../files/content-write.js';
import { expandUser } from '../files/paths.js';
import { pathInfo, scriptFailure } from '../files/results.js';
import { filesLib } from '../files/shell-lib.js';
import { field } from '../remote.js';
import { unimplementedInArgs, unimplementedMessage } from '../unimplemented.js';
import type { ModuleContext, ModuleDef, ModuleResult } from '../types.js';
import { curlRequestScript, emitResponseBody, followsRedirects, type HttpRequest } from './curl-request.js';
import { contentType, fetchInfo, parseResponse, responseFilename, type HttpResponse } from './http-response.js';
import { responseToDestScript } from './response-to-dest.js';
import { requestBody } from './uri-body.js';
import { optionalPath, optionalString, URL_OPTIONS, urlRequestFields } from './url-options.js';

/**
 * lib/ansible/modules/uri.py. Not implemented (unimplementedOptions, refused when the playbook
 * loads): src/remote_src (uploading a file), unredirected_headers, ciphers, use_gssapi.
 */
const spec: ArgSpec = {
  options: {
    ...URL_OPTIONS,
    url_username: { type: 'str', aliases: ['user'] },
    url_password: { type: 'str', aliases: ['password'], noLog: true },
    dest: { type: 'path' },
    body: { type: 'raw' },
    body_format: { type: 'str', default: 'raw', choices: ['form-urlencoded', 'json', 'raw', 'form-multipart'] },
    method: { type: 'str', default: 'GET' },
    return_content: { type: 'bool', default: false },
    follow_redirects: { type: 'str', default: 'safe', choices: ['all', 'no', 'none', 'safe', 'urllib2', 'yes'] },
    creates: { type: 'path' },
    removes: { type: 'path' },
    status_code: { type: 'list', elements: 'int', default: [200] },
    timeout: { type: 'int', default: 30 },
    headers: { type: 'dict', default: new PyDict() },
    unix_socket: { type: 'path' },
    ca_path: { type: 'path' },
    decompress: { type: 'bool', default: true },
    use_netrc: { type: 'bool', default: true },
    src: { type: 'path' },
    remote_src: { type: 'bool', default: false },
    unredirected_headers: { type: 'list', elements: 'str', default: [] },
    ciphers: { type: 'list', elements: 'str' },
    ...FILE_COMMON_OPTIONS,
  },
};


const JSON_CANDIDATES = new Set(['json', 'javascript']);

function request(args: Args, method: string, body: Buffer | null, headers: Map<string, string>, ctx: ModuleContext): HttpRequest {
  const dest = optionalPath(args, 'dest', ctx);
  return {
    ...urlRequestFields(args, ctx),
    method,
    body,
    headers: [...headers],
    follow: followsRedirects(String(args.get('follow_redirects')), method),
    caPath: optionalPath(args, 'ca_path', ctx),
    unixSocket: optionalPath(args, 'unix_socket', ctx),
    ifModifiedSince: dest !== null,
  };
}

/** uri's creates/removes: exit unchanged before any request. */
function skipScript(args: Args, ctx: ModuleContext): Script {
  const steps: Script[] = [];
  const creates = optionalString(args, 'creates');
  const removes = optionalString(args, 'removes');
  if (creates !== null) steps.push(sh`if [ -e ${expandUser(creates, ctx)} ]; then fleet_emit skipped_stdout ${`skipped, since '${creates}' exists`}; exit 0; fi`);
  if (removes !== null) steps.push(sh`if ! [ -e ${expandUser(removes, ctx)} ]; then fleet_emit skipped_stdout ${`skipped, since '${removes}' does not exist`}; exit 0; fi`);
  return Script.join(steps);
}

/** The body is needed unless a 2xx answer goes to dest: the result's content, json or body. */
function bodyStep(hasDest: boolean): Script {
  if (!hasDest) return Script.join([emitResponseBody(), Script.raw('rm -rf -- "$fh_dir"')]);
  return Script.raw(`case $fh_status in 2??) fleet_emit http_dir "$fh_dir" ;; *) ${emitResponseBody().text()}; rm -rf -- "$fh_dir" ;; esac`);
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const unimplemented = unimplementedInArgs(uriModule, args);
  if (unimplemented) return { failed: true, changed: false, msg: unimplementedMessage(uriModule, unimplemented) };
  const method = String(args.get('method')).toUpperCase();
  if (!/^[A-Z]+$/.test(method)) return { failed: true, changed: false, msg: "Parameter 'method' needs to be a single word in uppercase, like GET or POST." };
  const wanted = attributeWantsOrFailure(args);
  if ('failure' in wanted) return wanted.failure;
  const attributes = wanted.attributes;
  const headers = new Map<string, string>();
  for (const [name, value] of args.get('headers') as PyDict) headers.set(pyStr(name), pyStr(value));
  const body = requestBody(args.get('body') ?? null, String(args.get('body_format')).toLowerCase(), headers);
  if ('error' in body) return { failed: true, changed: false, msg: body.error, elapsed: 0 };
  const url = String(args.get('url'));
  const destArg = optionalString(args, 'dest');
  const dest = destArg === null ? null : expandUser(destArg, ctx);
  const output = await ctx.remote(
    Script.join([filesLib(ctx.userland), skipScript(args, ctx), sh`fh_ims=${dest ?? ''}`, curlRequestScript(request(args, method, body.body, headers, ctx)), bodyStep(dest !== null)]),
  );
  const failure = scriptFailure(output);
  if (failure) return failure;
  if (output.fields.has('skipped_stdout')) {
    const stdout = field(output, 'skipped_stdout');
    return { changed: false, stdout, stdout_lines: lines(stdout) };
  }
  const response = parseResponse(output, ctx.userland);
  const statusCodes = (args.get('status_code') as number[]).map(Number);
  return shapeResult(args, { url, dest, response, statusCodes, requestDir: output.fields.has('http_dir') ? field(output, 'http_dir') : null }, attributes, ctx);
}

interface Outcome {
  url: string;
  dest: string | null;
  response: HttpResponse;
  statusCodes: number[];
  /** Where the host keeps a 2xx body bound for dest. */
  requestDir: string | null;
}

/** uri's main() from the request on: what is read, written, and the result's keys. */
async function shapeResult(args: Args, outcome: Outcome, attributes: AttributeWants, ctx: ModuleContext): Promise<ModuleResult> {
  const { url, dest, response, statusCodes } = outcome;
  const info = fetchInfo(response, url);
  const returnContent = args.get('return_content') === true;
  const { subType } = response.failure === null ? contentType(response) : { subType: 'octet-stream' };
  const suffix = subType.includes('+') ? subType.slice(subType.indexOf('+') + 1) : subType;
  const maybeJson = JSON_CANDIDATES.has(suffix.toLowerCase());
  const inCodes = statusCodes.includes(response.status);
  const maybeOutput = maybeJson || returnContent || !inCodes;
  let content: string | null = null;
  if (maybeOutput && response.failure === null) {
    // An HTTPError's body was read into info['body']; reading the response again yields it.
    content = (response.body ?? Buffer.alloc(0)).toString('utf8');
    info.delete('body');
  }
  const result: Record<string, unknown> = { redirected: info.get('url') !== url };
  for (const [key, value] of info) result[key] = value;
  Object.assign(result, { elapsed: response.elapsedSeconds, status: response.status, changed: false });
  if (dest !== null && response.failure === null) {
    if (inCodes && response.status !== 304 && outcome.requestDir !== null) {
      const name = responseFilename(response, url) ?? 'index.html';
      const written = await ctx.remote(responseToDestScript(outcome.requestDir, dest, name, attributes, ctx));
      const failure = scriptFailure(written);
      if (failure) return { ...failure, ...result, msg: `${failure.msg} ${String(result['msg'] ?? '')}`.trim() };
      Object.assign(result, { changed: true, path: field(written, 'dest'), ...pathInfo(written) });
    } else result['path'] = dest;
  }
  const uresp: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(result)) uresp[key.replace(/-/g, '_').toLowerCase()] = value;
  if (typeof uresp['location'] === 'string') uresp['location'] = absoluteLocation(url, uresp['location']);
  if (content !== null && maybeJson) {
    try {
      uresp['json'] = jsonLoads(content);
    } catch {
      // Not JSON after all: Ansible leaves the key out.
    }
  }
  if (!inCodes) {
    uresp['msg'] = `Status code was ${response.status} and not ${pyRepr(statusCodes)}: ${String(uresp['msg'] ?? '')}`;
    return { ...(returnContent ? { content } : {}), ...uresp, failed: true } as ModuleResult;
  }
  return { ...(returnContent ? { content } : {}), ...uresp } as ModuleResult;
}

/** uri's absolute_location: a Location made absolute against the request's URL, as Ansible's own helper does it. */
function absoluteLocation(url: string, location: string): string {
  if (location.includes('://')) return location;
  if (location.startsWith('/')) {
    // urlsplit's path, then str.replace of every occurrence of it (empty: nothing to replace).
    const path = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/.exec(url)?.[1] ?? '';
    return `${path === '' ? url : url.split(path).join('')}${location}`;
  }
  return `${url.slice(0, url.lastIndexOf('/'))}/${location}`;
}

export const uriModule: ModuleDef = { name: 'uri', spec, supportsCheckMode: false, unimplementedOptions: ['src', 'remote_src', 'unredirected_headers', 'ciphers', 'use_gssapi'], run };
