import { describe, expect, it } from 'vitest';
import { ledgerView, taskResultRow } from '../../src/history/ledger_view.js';
import type { HostResult, ItemResult, TaskInfo } from '../../src/output/events.js';

const SECRET = 's3cr3t-text';
const task = (overrides: Partial<TaskInfo> = {}): TaskInfo => ({ id: 1, name: 'write', action: 'copy', prefix: 'TASK', check: false, noLog: false, loop: false, path: 'site.yml:3', ...overrides });
const diff = { before: '', after: `${SECRET}\n`, after_header: '/tmp/x' };

describe('what the ledger keeps of a result', () => {
  it('keeps an ordinary result whole, with its diff as text', () => {
    const event: HostResult = { host: 'h', task: task(), status: 'changed', result: { changed: true, msg: 'done', diff }, ignored: false, showDiff: true };
    expect(ledgerView(event)).toBe(event);
    expect(taskResultRow(event, 12)).toMatchObject({ status: 'changed', changed: true, msg: 'done', durationMs: 12 });
    expect(taskResultRow(event, 12).diff).toContain(`+${SECRET}`);
  });

  it('censors a no_log task’s result, its registered diff and msg included', () => {
    const event: HostResult = { host: 'h', task: task({ noLog: true }), status: 'failed', result: { changed: true, failed: true, msg: `bad ${SECRET}`, diff }, ignored: false, showDiff: true };
    const kept = ledgerView(event);
    expect(JSON.stringify(kept)).not.toContain(SECRET);
    expect(kept.result).toEqual({ censored: expect.stringContaining('no_log'), changed: true });
    expect(taskResultRow(kept, 1)).toMatchObject({ status: 'failed', changed: true, msg: null, diff: null });
  });

  it('censors a result whose no_log was templated (only the result says so)', () => {
    const event: HostResult = { host: 'h', task: task(), status: 'ok', result: { changed: false, stdout: SECRET, _ansible_no_log: true }, ignored: false, showDiff: false };
    expect(JSON.stringify(ledgerView(event))).not.toContain(SECRET);
    expect(ledgerView(event).task.noLog).toBe(true);
  });

  it('censors a whole loop when one item is no_log, and that item’s label', () => {
    const items = [
      { changed: true, item: SECRET, diff, _ansible_no_log: true, _ansible_item_label: SECRET },
      { changed: true, item: 'public', _ansible_no_log: false },
    ];
    const loop: HostResult = { host: 'h', task: task({ loop: true }), status: 'changed', result: { changed: true, results: items }, ignored: false, showDiff: true };
    expect(JSON.stringify(ledgerView(loop))).not.toContain(SECRET);
    expect(taskResultRow(ledgerView(loop), 1).diff).toBeNull();
    const item: ItemResult = { host: 'h', task: task({ loop: true }), status: 'changed', result: items[0] as ItemResult['result'], ignored: false, showDiff: true, label: SECRET };
    const keptItem = ledgerView(item);
    expect(JSON.stringify(keptItem)).not.toContain(SECRET);
    expect(keptItem.label).toBe('(censored due to no_log)');
    const publicItem: ItemResult = { ...item, result: items[1] as ItemResult['result'], label: 'public' };
    expect(ledgerView(publicItem)).toBe(publicItem);
  });
});
