/** The random token that ends one command's output; fresh per command so output cannot fake it. */
export function newEndToken(randomHex: string): string {
  return `__fleet_end_${randomHex}`;
}

const EMPTY = Buffer.alloc(0);

export interface FramedOutput {
  output: Buffer;
  rc: number;
}

/**
 * Collects one stream's bytes until the shell prints `\n<token>:<rc>\n`, then yields the exact
 * bytes before it (the leading `\n` belongs to the marker, so output need not end in a newline).
 * Works on bytes, so binary or non-UTF-8 output cannot break framing. `push` answers the
 * bytes after the marker line: the next command's output when commands are pipelined.
 */
export class EndMarkerScanner {
  private readonly needle: Buffer;
  private readonly chunks: Buffer[] = [];
  /** Unconsumed tail that may hold the start of the marker. */
  private carry: Buffer = EMPTY;
  private found?: FramedOutput;

  constructor(token: string) {
    this.needle = Buffer.from(`\n${token}:`, 'latin1');
  }

  get result(): FramedOutput | undefined {
    return this.found;
  }

  push(chunk: Buffer): Buffer {
    if (this.found) return chunk;
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const at = data.indexOf(this.needle);
    if (at < 0) {
      const keep = Math.min(data.length, this.needle.length - 1);
      this.chunks.push(data.subarray(0, data.length - keep));
      this.carry = data.subarray(data.length - keep);
      return EMPTY;
    }
    this.chunks.push(data.subarray(0, at));
    const statusStart = at + this.needle.length;
    const lineEnd = data.indexOf(0x0a, statusStart);
    if (lineEnd < 0) {
      this.carry = data.subarray(at);
      return EMPTY;
    }
    const rc = Number.parseInt(data.toString('latin1', statusStart, lineEnd), 10);
    this.found = { output: Buffer.concat(this.chunks), rc: Number.isNaN(rc) ? -1 : rc };
    this.chunks.length = 0;
    this.carry = EMPTY;
    return data.subarray(lineEnd + 1);
  }
}
