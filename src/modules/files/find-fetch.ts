import type { ModuleContext, ModuleResult } from '../types.js';
import { sh, Script } from '../../shell/script.js';
import { scriptFailure } from './results.js';

export interface FileFactRequest {
  path: string;
  content: boolean;
  checksum: boolean;
}

/** Content is null when the file cannot be read; checksum is null when it could not be taken. */
export interface FileFacts {
  content?: Buffer | null;
  checksum?: string | null;
}

/**
 * The content (for `contains`) and SHA-1 (for `get_checksum`) of matched files, in one
 * script: each request emits exactly one `c` and/or one `k` record, in request order.
 */
export async function fetchFileFacts(requests: readonly FileFactRequest[], ctx: ModuleContext): Promise<{ files: FileFacts[] } | { failure: ModuleResult }> {
  const lines: Script[] = [
    Script.library(`fleet_find_content() {
  if [ -f "$1" ] && [ -r "$1" ]; then base64 < "$1" | tr -d '\\n' | fleet_emit_stdin c; else fleet_emit c '!'; fi
}
fleet_find_checksum() {
  if [ -r "$1" ]; then fleet_sha1 "$1"; else fleet_sha1_hex=''; fi
  fleet_emit k "$fleet_sha1_hex"
}`),
  ];
  for (const request of requests) {
    if (request.content) lines.push(sh`fleet_find_content ${request.path}`);
    if (request.checksum) lines.push(sh`fleet_find_checksum ${request.path}`);
  }
  const output = await ctx.remote(Script.join(lines));
  const failure = scriptFailure(output);
  if (failure) return { failure };
  const contents = output.fields.get('c') ?? [];
  const checksums = output.fields.get('k') ?? [];
  let contentIndex = 0;
  let checksumIndex = 0;
  const files = requests.map((request) => {
    const facts: FileFacts = {};
    if (request.content) {
      const text = contents[contentIndex++] ?? '!';
      facts.content = text === '!' ? null : Buffer.from(text, 'base64');
    }
    if (request.checksum) facts.checksum = checksums[checksumIndex++] || null;
    return facts;
  });
  return { files };
}
