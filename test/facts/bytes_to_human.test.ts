import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { bytesToHuman } from '../../src/facts/devices.js';

// Sizes of disks and partitions (sectors × 512) across every unit, and the unit boundaries.
const SIZES = [0, 512, 1023, 1024, 1536, 1000, 123456789, 536870912 * 512, 2 ** 40 * 3.5, 10 ** 15, 2 ** 60 + 1, 2 ** 81];

describe('bytes_to_human, as the devices facts print sizes', () => {
  it("prints what ansible's formatters.bytes_to_human prints", async (context) => {
    const script = `import sys\nsys.path.insert(0, '/usr/lib/python3/dist-packages')\nfrom ansible.module_utils.common.text.formatters import bytes_to_human\nfor size in ${JSON.stringify(SIZES)}: print(bytes_to_human(float(size)))`;
    const python = await execa('python3', ['-c', script], { reject: false });
    if (python.exitCode !== 0) return context.skip();
    expect(SIZES.map(bytesToHuman)).toEqual(python.stdout.split('\n'));
  });
});
