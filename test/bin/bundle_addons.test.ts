import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/sandbox.js';

const bundle = join(repoRoot, 'dist', 'fleet.cjs');

describe('the bundle (dist/fleet.cjs, built by npm run build / npm ci)', () => {
  it('requires native addons by paths that resolve from the bundle (ssh2 silently falls back to three socket writes per packet without its binding)', () => {
    const source = readFileSync(bundle, 'utf8');
    const addons = [...source.matchAll(/require\("([^"]+\.node)"\)/g)].map((match) => match[1] as string);
    expect(addons.some((path) => path.endsWith('sshcrypto.node'))).toBe(true);
    const requireFromBundle = createRequire(bundle);
    for (const path of addons) expect(() => requireFromBundle.resolve(path), path).not.toThrow();
  });
});
