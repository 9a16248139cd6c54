import { dumpYaml } from '../template/filters/yaml/dump.js';
import { splitLines, stripPy } from '../template/python/text.js';
import { toPy } from '../template/values.js';
import { jsonDumps } from './pyjson.js';

/**
 * The result_format_callback doc fragment's options of the default callback: results printed
 * as JSON or YAML (callback_result_format), and pretty_results (callback_format_pretty), which
 * is null when not set: YAML is then pretty and JSON is not.
 */
export interface ResultFormatOptions {
  resultFormat: 'json' | 'yaml';
  prettyResults: boolean | null;
}

export const DEFAULT_RESULT_FORMAT: ResultFormatOptions = { resultFormat: 'json', prettyResults: null };

/** Python's textwrap.indent: `prefix` before every line that is not whitespace alone. */
function indentLines(text: string, prefix: string): string {
  return splitLines(text, true)
    .map((line) => (stripPy(line, null, true, true) ? prefix + line : line))
    .join('');
}

/**
 * The serialising half of CallbackBase._dump_results, given the result already abridged:
 * the indent the conditions choose (4 when the result is always verbose, the results pretty
 * or the verbosity above 2; none when pretty_results is false), then `json.dumps`, or for
 * YAML a newline and the `yaml.dump` of the callbacks' dumper indented under the line.
 */
export function serializeResult(abridged: Record<string, unknown>, format: ResultFormatOptions, how: { indent?: number; verbosity: number; verboseAlways: boolean }): string {
  const { resultFormat, prettyResults } = format;
  let indent = how.indent;
  const pretty = how.verboseAlways || (prettyResults === null && resultFormat !== 'json') || prettyResults === true || how.verbosity > 2;
  if (!indent && pretty) indent = 4;
  if (prettyResults === false) indent = undefined;
  if (resultFormat === 'json') return jsonDumps(abridged, { indent, sortKeys: true, ensureAscii: false });
  const lossy = prettyResults !== false;
  const shown = { ...abridged };
  if (lossy) {
    // Pretty YAML leaves out the lines of a text it shows whole.
    if ('stdout' in shown && 'stdout_lines' in shown) shown.stdout_lines = '<omitted>';
    if ('stderr' in shown && 'stderr_lines' in shown) shown.stderr_lines = '<omitted>';
  }
  const yaml = dumpYaml(toPy(shown), { indent, defaultFlowStyle: false, multilineLiteral: { lossy } });
  return `\n${indentLines(yaml, ' '.repeat(indent || 4))}`;
}

/** CallbackBase._serialize_diff: a structured before or after of a diff, as text to compare. */
export function serializeDiff(value: unknown, format: ResultFormatOptions): string {
  if (format.resultFormat === 'json') return jsonDumps(value, { sortKeys: true, indent: 4, separators: [',', ': '] }) + '\n';
  const yaml = dumpYaml(toPy(value), { indent: 4, defaultFlowStyle: false, multilineLiteral: { lossy: format.prettyResults !== false } });
  return `${indentLines(yaml, '    ')}\n`;
}
