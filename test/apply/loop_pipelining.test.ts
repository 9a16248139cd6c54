import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import type { OutgoingScript } from '../../src/executor/script_hook.js';
import { RenderNotesSink } from '../../src/render/notes_sink.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

const fixtures = join(import.meta.dirname, 'fixtures', 'pipelined');
/** h13: no other suite uses it. */
const HOST = 'h13';

let host: SandboxHost;
let inventory: string;
let work: string;

interface Registered {
  failed: boolean;
  changed: boolean;
  msg: string;
  results: { item: { name: string }; rc: number; stdout: string; failed: boolean }[];
}

describe('loop items of one-script modules are pipelined', () => {
  beforeAll(() => {
    host = ensureSandbox(13).find((each) => each.name === HOST) as SandboxHost;
    work = join(host.home, 'pipelined');
    rmSync(work, { recursive: true, force: true });
    const dir = mkdtempSync(join(tmpdir(), 'fleet-pipelined-'));
    inventory = join(dir, 'inventory.yml');
    writeFileSync(
      inventory,
      `all:\n  hosts:\n    p1:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_user: ${host.user}\n      ansible_ssh_private_key_file: ${host.keyFile}\n      ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n`,
    );
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('sends every item before the first answers, runs them in order on the host, and registers what a sequential loop would', async () => {
    const sentAt: number[] = [];
    const hook = (outgoing: OutgoingScript) => {
      if (outgoing.module === 'shell') sentAt.push(Date.now());
      return undefined;
    };
    const options = applyOptionsFrom([join(fixtures, 'loops.yml')], { inventory: [inventory], tags: [], skipTags: [], verbose: 0, extraVars: [`work=${work}`] }, process.env, fixtures);
    const result = await applyPlaybooks({ ...options, scriptHook: hook }, new RenderNotesSink());
    expect(result.exitCode).toBe(0);

    expect(readFileSync(join(work, 'd1', 'page.txt'), 'utf8')).toBe('first in d1\n');
    expect(readFileSync(join(work, 'd1', 'd2', 'page.txt'), 'utf8')).toBe('second in d1/d2\n');
    expect(readFileSync(join(work, 'd1', 'd2', 'd3', 'page.txt'), 'utf8')).toBe("third's in d1/d2/d3\n");

    // copy's content from a registered result is !unsafe text: it was written as "[object Object]".
    const chainText = readFileSync(join(work, 'chain.json'), 'utf8');
    expect(chainText.startsWith('{\n    "changed": true,\n    "failed": true,\n    "msg": "One or more items failed",\n    "results": [\n')).toBe(true);
    const chain = JSON.parse(chainText) as Registered;
    // b saw the file a made: the host ran the items in order. c failed; d still ran, as Ansible goes on after a failed item.
    expect(chain.results.map((each) => [each.item.name, each.rc, each.failed])).toEqual([
      ['a', 0, false],
      ['b', 0, false],
      ['c', 1, true],
      ['d', 0, false],
    ]);
    expect([chain.failed, chain.changed, chain.msg]).toEqual([true, true, 'One or more items failed']);
    // All four were sent while the first was still sleeping on the host.
    expect(sentAt).toHaveLength(4);
    const firstFinished = Number(chain.results[0]?.stdout);
    expect(Math.max(...sentAt)).toBeLessThan(firstFinished);
  }, 60_000);
});
