import { textTable } from '../output/text_table.js';
import type { FetchReport } from './fetch.js';
import type { UsageLine } from './summary.js';

const HEADERS = ['AGENT', 'PROVIDER', 'MODEL', 'CALLS', 'ERRORS', 'FALLBACKS', 'P50 MS', 'P95 MS', 'LAST CALL', 'BANNED'];

const ms = (value: number | null) => (value === null ? '-' : String(value));

/** The usage table over a window, one line per agent/provider/model. */
export function usageText(lines: UsageLine[], since: string): string {
  if (lines.length === 0) return `no calls since ${since}\n`;
  const rows = lines.map((line) => [line.agent, line.provider, line.model, String(line.calls), String(line.errors), String(line.fallbacks), ms(line.p50LatencyMs), ms(line.p95LatencyMs), line.lastCall, line.banned.join(', ') || '-']);
  return `calls since ${since}\n${textTable(HEADERS, rows)}`;
}

export function fetchText(reports: FetchReport[]): string {
  return reports.map((report) => (report.error === undefined ? `${report.host}: ${report.added} new row(s) from ${report.source}` : `${report.host}: not fetched: ${report.error}`)).join('\n') + '\n';
}
