import { sh, Script } from '../../shell/script.js';
import { pyStr } from '../../template/python/index.js';
import { PyDict } from '../../template/values.js';
import type { Args, ArgSpec } from '../argspec.js';
import { attributeWantsOrFailure, attributeWantsScript, type AttributeWants } from '../files/attributes.js';
import { FILE_COMMON_OPTIONS } from '../files/common-args.js';
import { digestFunction } from '../files/digest.js';
import { expandUser } from '../files/paths.js';
import { pathInfo } from '../files/results.js';
import { filesLib } from '../files/shell-lib.js';
import { field } from '../remote.js';
import { unimplementedInArgs, unimplementedMessage } from '../unimplemented.js';
import type { ModuleContext, ModuleDef, ModuleResult, RemoteOutput } from '../types.js';
import { curlRequestScript, emitResponseBody, type HttpRequest } from './curl-request.js';
import { checksumFromList, normalizedChecksum, splitChecksum, urlFilename, type Checksum } from './get-url-checksum.js';
import { fetchInfo, lowercasedHeaders, parseResponse } from './http-response.js';
import { URL_OPTIONS, urlRequestFields } from './url-options.js';

/**
 * lib/ansible/modules/get_url.py. Not implemented (unimplementedOptions, refused when the
 * playbook loads): tmp_dest, unredirected_headers, ciphers, use_gssapi. A checksum given as
 * a URL is fetched first, as the module does.
 */
const spec: ArgSpec = {
  options: {
    ...URL_OPTIONS,
    url_username: { type: 'str', aliases: ['username'] },
    url_password: { type: 'str', aliases: ['password'], noLog: true },
    url: { type: 'str', required: true },
    dest: { type: 'path', required: true },
    backup: { type: 'bool', default: false },
    checksum: { type: 'str', default: '' },
    timeout: { type: 'int', default: 10 },
    headers: { type: 'dict' },
    decompress: { type: 'bool', default: true },
    use_netrc: { type: 'bool', default: true },
    tmp_dest: { type: 'path' },
    unredirected_headers: { type: 'list', elements: 'str', default: [] },
    ciphers: { type: 'list', elements: 'str' },
    ...FILE_COMMON_OPTIONS,
  },
};


function request(args: Args, ctx: ModuleContext): HttpRequest {
  const headers: [string, string][] = [];
  const given = args.get('headers');
  if (given instanceof PyDict) for (const [name, value] of given) headers.push([pyStr(name), pyStr(value)]);
  // open_url asks caches for a fresh copy when forced.
  if (args.get('force') === true) headers.push(['cache-control', 'no-cache']);
  return {
    ...urlRequestFields(args, ctx),
    method: ctx.check ? 'HEAD' : 'GET',
    body: null,
    headers,
    // fetch_url's default follow_redirects for get_url ('urllib2'), for a GET or HEAD.
    follow: true,
    caPath: null,
    unixSocket: null,
    ifModifiedSince: true,
  };
}

/**
 * Before the request: a dest that is a file with the wanted checksum is kept (its attributes
 * set) without a download; otherwise its mtime goes out as If-Modified-Since unless forced.
 */
function preflightScript(dest: string, checksum: Checksum | null, force: boolean, attributes: AttributeWants, ctx: ModuleContext): Script {
  const keepMatching =
    checksum === null || force
      ? Script.raw(':')
      : Script.join([
          sh`  fleet_digest ${checksum.algorithm} "$dest"`,
          sh`  if [ "$fleet_digest_hex" = ${checksum.hex} ]; then fleet_attrs "$dest" 0; fleet_emit kept 1; fleet_emit changed "$fleet_changed"; fleet_path_info "$dest"; exit 0; fi`,
          // A mismatch forces the download (no If-Modified-Since).
          Script.raw('  fh_ims='),
        ]);
  return Script.join([
    filesLib(ctx.userland),
    digestFunction(),
    attributeWantsScript(attributes),
    sh`dest=${dest} fleet_check=${ctx.check ? '1' : '0'} fleet_changed=0 fh_ims=`,
    Script.raw('if [ -d "$dest" ]; then fleet_emit dest_is_dir 1\nelif [ -e "$dest" ]; then'),
    force ? Script.raw('  :') : Script.raw('  fh_ims=$dest'),
    keepMatching,
    Script.raw('fi'),
  ]);
}

/** After a 200: the body beside dest if it differs, the checksum verified, attributes set. */
function finishScript(requestDir: string, dest: string, checksum: Checksum | null, backup: boolean, attributes: AttributeWants, ctx: ModuleContext): Script {
  const verify =
    checksum === null
      ? Script.raw(':')
      : Script.join([
          sh`fleet_digest ${checksum.algorithm} "$dest"`,
          sh`if [ "$fleet_digest_hex" != ${checksum.hex} ]; then rm -f -- "$dest"; fleet_fail "The checksum for $dest did not match ${Script.raw(checksum.hex)}; it was $fleet_digest_hex."; fi`,
        ]);
  return Script.join([
    filesLib(ctx.userland),
    digestFunction(),
    attributeWantsScript(attributes),
    sh`fh_dir=${requestDir} dest=${dest} fleet_check=${ctx.check ? '1' : '0'} fleet_changed=0`,
    Script.raw(`fleet_emit src "$fh_dir/response"
fleet_sha1 "$fh_dir/response"; fh_new=$fleet_sha1_hex; fleet_emit checksum_src "$fh_new"; fh_old=
# Python's os.access: root may write anywhere, as test -w says too.
if [ -e "$dest" ]; then
  [ -w "$dest" ] || { rm -rf -- "$fh_dir"; fleet_fail "Destination $dest is not writable"; }
  [ -r "$dest" ] || { rm -rf -- "$fh_dir"; fleet_fail "Destination $dest is not readable"; }
  fleet_sha1 "$dest"; fh_old=$fleet_sha1_hex; fleet_emit checksum_dest "$fh_old"
else
  case $dest in */*) fh_parent=\${dest%/*}; [ -n "$fh_parent" ] || fh_parent=/ ;; *) fh_parent=. ;; esac
  [ -e "$fh_parent" ] || { rm -rf -- "$fh_dir"; fleet_fail "Destination $fh_parent does not exist"; }
  [ -w "$fh_parent" ] || { rm -rf -- "$fh_dir"; fleet_fail "Destination $fh_parent is not writable"; }
fi
if [ "$fleet_check" = 1 ]; then
  rm -rf -- "$fh_dir"
  [ "$fh_new" = "$fh_old" ] || fleet_changed=1
  fleet_emit changed "$fleet_changed"; fleet_path_info "$dest"; exit 0
fi
if [ "$fh_new" != "$fh_old" ]; then`),
    backup ? Script.raw('  if [ -e "$dest" ]; then fleet_backup "$dest"; fi') : Script.raw('  :'),
    Script.raw(`  fleet_tmp_beside "$dest" || { rm -rf -- "$fh_dir"; fleet_fail "failed to copy $fh_dir/response to $dest"; }
  if ! { cp -- "$fh_dir/response" "$fleet_tmp" && fleet_tmp_like "$dest" && mv -f -- "$fleet_tmp" "$dest"; }; then
    rm -f -- "$fleet_tmp"; rm -rf -- "$fh_dir"; fleet_fail "failed to copy $fh_dir/response to $dest"
  fi
  fleet_changed=1; fleet_emit written 1
fi
rm -rf -- "$fh_dir"`),
    verify,
    Script.raw(`fleet_attrs "$dest" 0
fleet_emit changed "$fleet_changed"
fleet_digest md5 "$dest"; fleet_emit md5sum "$fleet_digest_hex"
fleet_path_info "$dest"`),
  ]);
}

/** get_url's extract_filename_from_headers, else url_filename of the final URL. */
function downloadName(headers: Map<string, string>, finalUrl: string): string {
  const disposition = /^attachment; ?filename="?([^"]+)/.exec(headers.get('content-disposition') ?? '')?.[1];
  if (disposition) return disposition.slice(disposition.lastIndexOf('/') + 1);
  return urlFilename(finalUrl);
}

/** A result or failure with exit_json's add_path_info for `dest`. */
function withFailure(output: RemoteOutput, result: Record<string, unknown>): ModuleResult | null {
  if (output.fields.has('failed')) return { ...result, ...pathInfo(output), failed: true, msg: field(output, 'msg') } as ModuleResult;
  if (output.rc !== 0 || output.timedOut) {
    const detail = output.stderr.trim() || output.stray.trim();
    return { failed: true, changed: false, msg: `MODULE FAILURE: ${detail || `exit status ${output.rc}`}`, rc: output.rc };
  }
  return null;
}

/** The checksum for the download that a checksum file at CHECKSUM_URL lists, or the failure. */
async function checksumFromUrl(args: Args, checksumUrl: string, url: string, dest: string, ctx: ModuleContext): Promise<string | ModuleResult> {
  // url_get with no last_mod_time, and a GET even in check mode.
  const fetched = await ctx.remote(
    Script.join([filesLib(ctx.userland), curlRequestScript({ ...request(args, ctx), url: checksumUrl, method: 'GET', ifModifiedSince: false }), emitResponseBody(), Script.raw('rm -rf -- "$fh_dir"')]),
  );
  const failed = withFailure(fetched, { url: checksumUrl, dest });
  if (failed) return failed;
  const response = parseResponse(fetched, ctx.userland);
  const msg = String(fetchInfo(response, checksumUrl).get('msg') ?? '');
  const elapsed = response.elapsedSeconds;
  if (response.status === -1) return { failed: true, msg, url: checksumUrl, dest, elapsed } as ModuleResult;
  if (response.status !== 200) return { failed: true, msg: 'Request failed', status_code: response.status, response: msg, url: checksumUrl, dest, elapsed } as ModuleResult;
  const filename = urlFilename(url);
  const listed = checksumFromList((response.body ?? Buffer.alloc(0)).toString('utf8'), filename);
  return listed ?? { failed: true, changed: false, msg: `Unable to find a checksum for file '${filename}' in '${checksumUrl}'` };
}

async function run(args: Args, ctx: ModuleContext): Promise<ModuleResult> {
  const unimplemented = unimplementedInArgs(getUrlModule, args);
  if (unimplemented) return { failed: true, changed: false, msg: unimplementedMessage(getUrlModule, unimplemented) };
  const wanted = attributeWantsOrFailure(args);
  if ('failure' in wanted) return wanted.failure;
  const attributes = wanted.attributes;
  const url = String(args.get('url'));
  const dest = expandUser(String(args.get('dest')), ctx);
  const force = args.get('force') === true;
  const result: Record<string, unknown> = { changed: false, checksum_dest: null, checksum_src: null, dest, elapsed: 0, url };
  const option = splitChecksum(String(args.get('checksum')));
  if (option !== null && 'error' in option) return { ...result, failed: true, msg: option.error };
  let checksum: Checksum | null = null;
  if (option !== null) {
    let value = option.value;
    if (option.url) {
      const listed = await checksumFromUrl(args, option.value, url, dest, ctx);
      if (typeof listed !== 'string') return listed;
      value = listed;
    }
    const normalized = normalizedChecksum(option.algorithm, value);
    if ('error' in normalized) return { ...result, failed: true, msg: normalized.error };
    checksum = normalized;
  }

  const first = await ctx.remote(
    Script.join([
      preflightScript(dest, checksum, force, attributes, ctx),
      curlRequestScript(request(args, ctx)),
      Script.raw('case $fh_status in 200) fleet_emit http_dir "$fh_dir" ;; *) rm -rf -- "$fh_dir" ;; esac\nfleet_path_info "$dest"'),
    ]),
  );
  const failed = withFailure(first, result);
  if (failed) return failed;
  if (first.fields.has('kept')) {
    const changed = field(first, 'changed') === '1';
    return { ...result, changed, msg: changed ? 'file already exists but file attributes changed' : 'file already exists', ...pathInfo(first) } as ModuleResult;
  }
  const response = parseResponse(first, ctx.userland);
  const info = fetchInfo(response, url);
  result['elapsed'] = response.elapsedSeconds;
  const msg = String(info.get('msg') ?? '');
  if (response.status === 304) return { url, dest, changed: false, msg, status_code: 304, elapsed: response.elapsedSeconds, ...pathInfo(first) } as ModuleResult;
  if (response.status === -1) return { failed: true, msg, url, dest, elapsed: response.elapsedSeconds, ...pathInfo(first) } as ModuleResult;
  if (response.status !== 200) {
    return { failed: true, msg: 'Request failed', status_code: response.status, response: msg, url, dest, elapsed: response.elapsedSeconds, ...pathInfo(first) } as ModuleResult;
  }
  let target = dest;
  if (first.fields.has('dest_is_dir')) {
    const name = downloadName(lowercasedHeaders(response), String(info.get('url')));
    target = dest.endsWith('/') ? `${dest}${name}` : `${dest}/${name}`;
    result['dest'] = target;
  }
  const second = await ctx.remote(finishScript(field(first, 'http_dir'), target, checksum, args.get('backup') === true, attributes, ctx));
  result['src'] = field(second, 'src');
  if (second.fields.has('checksum_src')) result['checksum_src'] = field(second, 'checksum_src');
  if (second.fields.has('checksum_dest')) result['checksum_dest'] = field(second, 'checksum_dest');
  // The module sets changed once the download is moved into place, before it verifies the checksum.
  if (second.fields.has('written')) result['changed'] = true;
  const failedLater = withFailure(second, result);
  if (failedLater) return failedLater;
  result['changed'] = field(second, 'changed') === '1';
  if (ctx.check) return { ...result, msg, ...pathInfo(second) } as ModuleResult;
  result['md5sum'] = field(second, 'md5sum');
  if (second.fields.has('backup_file')) result['backup_file'] = field(second, 'backup_file');
  return { msg, status_code: response.status, ...result, ...pathInfo(second) } as ModuleResult;
}

export const getUrlModule: ModuleDef = { name: 'get_url', spec, supportsCheckMode: true, unimplementedOptions: ['tmp_dest', 'unredirected_headers', 'ciphers', 'use_gssapi'], run };
