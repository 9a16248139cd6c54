/**
 * Every secret value seen during a run (vault plaintexts, no_log values), so whatever is
 * written for people or kept on disk — output, logs, the history ledger, rendered scripts —
 * can mask them. Ansible itself only honours no_log; fleet also masks vault plaintexts.
 */
export const MASK = '********';

/** Values shorter than this are not masked inside longer text: "1" or "on" would mangle everything. */
const MIN_MASKED_LENGTH = 4;

export class SecretRegistry {
  private readonly values = new Set<string>();

  add(value: string): void {
    if (value.length >= MIN_MASKED_LENGTH) this.values.add(value);
  }

  has(value: string): boolean {
    return this.values.has(value);
  }

  get size(): number {
    return this.values.size;
  }

  /** `text` with every registered secret replaced by the mask, longest secrets first. */
  mask(text: string): string {
    if (this.values.size === 0) return text;
    let out = text;
    for (const secret of [...this.values].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
    return out;
  }
}
