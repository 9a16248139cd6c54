import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOptionsFrom } from '../../src/cli/apply.js';
import { applyPlaybooks } from '../../src/executor/run_playbooks.js';
import { RenderNotesSink } from '../../src/render/notes_sink.js';
import { ensureSandbox, knownHostsFile, type SandboxHost } from '../support/sandbox.js';

const noFlags = { inventory: [], tags: [], skipTags: [], extraVars: [], verbose: 0 };
let dir: string;
let host: SandboxHost;

/** Who the task ran as, and where, written by the host into a file the test reads. */
const PLAYBOOK = `- hosts: all
  gather_facts: false
  tasks:
    - shell: 'echo "$(id -un) $HOME" > {{ out }}'
`;

describe("ansible-playbook's connection flags", () => {
  beforeAll(() => {
    host = ensureSandbox(13).find((each) => each.name === 'h13') as SandboxHost;
    dir = mkdtempSync(join(tmpdir(), 'fleet-connection-flags-'));
    writeFileSync(join(dir, 'site.yml'), PLAYBOOK);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('-c local runs a host that sets no connection on this machine', async () => {
    writeFileSync(join(dir, 'local.yml'), 'all:\n  hosts:\n    here:\n');
    const out = join(dir, 'local.out');
    const flags = { ...noFlags, inventory: [join(dir, 'local.yml')], extraVars: [`out=${out}`], connection: 'local' };
    const result = await applyPlaybooks(applyOptionsFrom([join(dir, 'site.yml')], flags, process.env, dir), new RenderNotesSink());
    expect(result.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`root ${process.env.HOME}\n`);
  });

  it('-u and --private-key connect as that user with that key when the inventory names neither', async () => {
    const inventory = join(dir, 'ssh.yml');
    writeFileSync(
      inventory,
      `all:\n  hosts:\n    h:\n      ansible_host: ${host.address}\n      ansible_port: ${host.port}\n      ansible_ssh_common_args: -o UserKnownHostsFile=${knownHostsFile()} -o StrictHostKeyChecking=yes\n`,
    );
    const out = `${host.home}/connection-flags.out`;
    const flags = { ...noFlags, inventory: [inventory], extraVars: [`out=${out}`], user: host.user, privateKey: host.keyFile };
    const result = await applyPlaybooks(applyOptionsFrom([join(dir, 'site.yml')], flags, process.env, dir), new RenderNotesSink());
    expect(result.exitCode).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(`${host.user} ${host.home}\n`);
    rmSync(out);
  });
});
