import { describe, expect, it } from 'vitest';
import { EndMarkerScanner } from '../../src/connections/end-marker.js';

const token = '__fleet_end_0123abcd';

function scanInPieces(stream: Buffer, pieceSize: number): EndMarkerScanner {
  const scanner = new EndMarkerScanner(token);
  for (let i = 0; i < stream.length; i += pieceSize) scanner.push(stream.subarray(i, i + pieceSize));
  return scanner;
}

describe('EndMarkerScanner', () => {
  const output = Buffer.concat([Buffer.from('line\n\n'), Buffer.from([0xff, 0x00, 0x0a]), Buffer.from('no newline')]);
  const framed = Buffer.concat([output, Buffer.from(`\n${token}:42\n`)]);

  it.each([1, 2, 3, 7, 1000])('recovers exact bytes and status when chunks are %i bytes', (size) => {
    const scanner = scanInPieces(framed, size);
    expect(scanner.result?.rc).toBe(42);
    expect(scanner.result?.output.equals(output)).toBe(true);
  });

  it('waits for the status line to end', () => {
    const scanner = new EndMarkerScanner(token);
    scanner.push(Buffer.from(`out\n${token}:1`));
    expect(scanner.result).toBeUndefined();
    scanner.push(Buffer.from('27\n'));
    expect(scanner.result).toEqual({ output: Buffer.from('out'), rc: 127 });
  });

  it('does not end on a marker with another token or a partial marker', () => {
    const scanner = new EndMarkerScanner(token);
    scanner.push(Buffer.from(`\n__fleet_end_ffff:0\n\n${token.slice(0, 10)}`));
    expect(scanner.result).toBeUndefined();
    scanner.push(Buffer.from(`\n${token}:0\n`));
    expect(scanner.result?.output.toString()).toBe(`\n__fleet_end_ffff:0\n\n${token.slice(0, 10)}`);
  });

  it('ignores bytes after the marker', () => {
    const scanner = new EndMarkerScanner(token);
    scanner.push(Buffer.from(`\n${token}:0\nlate output`));
    scanner.push(Buffer.from('more'));
    expect(scanner.result).toEqual({ output: Buffer.alloc(0), rc: 0 });
  });
});
