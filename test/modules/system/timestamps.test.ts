import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDelta, readHostTime } from '../../../src/modules/system/timestamps.js';

// Expected strings are Python's str() of the same datetime/timedelta values.
describe("command's start/end/delta in Python's str() format", () => {
  it('formats timedeltas', () => {
    expect(formatDelta(0)).toBe('0:00:00');
    expect(formatDelta(86_400_000_000 + 5_000_007)).toBe('1 day, 0:00:05.000007');
    expect(formatDelta(-1)).toBe('-1 day, 23:59:59.999999');
    expect(formatDelta(2 * 86_400_000_000 + 3 * 3_600_000_000)).toBe('2 days, 3:00:00');
  });

  it("reads GNU date's nanoseconds and keeps the host's UTC offset", () => {
    const time = readHostTime('2026-11-26 23:11:05 123456789 +0130', 0);
    expect(formatDateTime(time)).toBe('2026-11-26 23:11:05.123456');
    expect(time.epochMicros).toBe(Date.UTC(2026, 10, 26, 21, 41, 5) * 1000 + 123456);
    expect(formatDateTime(readHostTime('2026-11-26 23:11:05 000000000 +0000', 0))).toBe('2026-11-26 23:11:05');
  });

  it("falls back to the controller's clock, in the host's offset, when date has no %N (BSD)", () => {
    const controllerMillis = Date.UTC(2026, 10, 26, 23, 11, 5, 250);
    expect(formatDateTime(readHostTime('2026-11-26 23:11:05 N -0500', controllerMillis))).toBe('2026-11-26 18:11:05.250000');
  });
});
