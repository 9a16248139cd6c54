import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runInventoryCommand } from '../../src/cli/actions/inventory.js';

/**
 * `--output FILE` writes what ansible-inventory would print, minus the newline its Display
 * adds on screen (cli/inventory.py writes `results` as they are).
 */

const here = dirname(fileURLToPath(import.meta.url));
const cwd = process.cwd();
beforeAll(() => process.chdir(join(here, 'fixtures')));
afterAll(() => process.chdir(cwd));

for (const [id, yaml] of [
  ['yaml-list', false],
  ['yaml-list-yaml', true],
] as const) {
  it(`--output holds the ${id} listing`, () => {
    const output = join(mkdtempSync(join(tmpdir(), 'fleet-inventory-')), 'out');
    const result = runInventoryCommand({ inventory: ['yaml/inventory.yml'], list: true, yaml, output });
    expect(result.stdout).toBe('');
    const screen = readFileSync(join(here, 'expected', `${id}.out`), 'utf8');
    const written = readFileSync(output, 'utf8');
    expect(yaml ? written : `${written}\n`).toBe(screen);
  });
}
