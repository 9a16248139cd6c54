import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh, type Connection } from '../../../src/connections/index.js';
import { gatherFacts } from '../../../src/facts/index.js';
import { command, shell } from '../../../src/modules/system/command.js';
import { cron } from '../../../src/modules/system/cron.js';
import { raw } from '../../../src/modules/system/raw.js';
import { parseUserland, USERLAND_PROBE, type Userland } from '../../../src/shell/userland.js';
import { ensureSandbox, sandboxHost, sandboxTarget } from '../../support/sandbox.js';
import { runModule, type RunOptions } from './harness.js';

// The same modules over a real SSH connection to a sandbox host (a loopback sshd whose user's
// home is the host's disk): one long-lived shell per host, as fleet runs them.
describe('system modules over SSH (sandbox host h1)', () => {
  let conn: Connection;
  let userland: Userland;
  let home: string;
  let options: RunOptions;

  beforeAll(async () => {
    ensureSandbox(1);
    home = sandboxHost('h1').home;
    conn = await connectSsh(sandboxTarget('h1'));
    userland = parseUserland('h1', (await conn.exec(USERLAND_PROBE)).stdout);
    options = { exec: (script, o) => conn.exec(script, o), userland };
  });
  afterAll(async () => {
    // Other tests share this host's crontab: only this test's job is removed.
    if (conn) await runModule(cron, { name: 'ssh job', user: sandboxHost('h1').user, state: 'absent' }, options);
    await conn?.exec('rm -rf "$HOME/fleet-ssh-test"');
    await conn?.close();
  });

  it('command keeps hostile arguments literal and leaves the shell where it was', async () => {
    await conn.exec('mkdir -p "$HOME/fleet-ssh-test"');
    const hostile = ['$(touch canary1)', '`touch canary2`', '; touch canary3', "it's", 'new\nline', '*'];
    const result = await runModule(command, { argv: ['printf', '<%s>', ...hostile], chdir: `${home}/fleet-ssh-test` }, options);
    expect(result.stdout).toBe(hostile.map((arg) => `<${arg}>`).join(''));
    expect(result.rc).toBe(0);
    expect((await conn.exec('ls -A "$HOME/fleet-ssh-test"; pwd')).stdout).toBe(`${home}\n`);
  });

  it('a command reading stdin gets nothing and the connection keeps working', async () => {
    const result = await runModule(command, { _raw_params: 'cat' }, options);
    expect(result.stdout).toBe('');
    expect((await runModule(shell, { _raw_params: 'echo "$0" ok', stdin: 'data' }, options)).stdout).toBe('/bin/sh ok');
    expect((await runModule(raw, { _raw_params: 'cat; echo after' }, options)).stdout).toBe('after\n');
  });

  it("cron edits the connecting user's own crontab without -u", async () => {
    const user = sandboxHost('h1').user;
    const first = await runModule(cron, { name: 'ssh job', user, minute: '7', job: 'echo "$HOME" > /dev/null' }, options);
    expect(first.changed).toBe(true);
    const again = await runModule(cron, { name: 'ssh job', user, minute: '7', job: 'echo "$HOME" > /dev/null' }, options);
    expect(again.changed).toBe(false);
    expect((await conn.exec('crontab -l')).stdout).toContain('#Ansible: ssh job\n7 * * * * echo "$HOME" > /dev/null\n');
  });

  it('gathers facts in one round trip', async () => {
    const facts = await gatherFacts((script, o) => conn.exec(script, o), userland);
    expect(facts.get('user_id')).toBe(sandboxHost('h1').user);
    expect(facts.get('user_dir')).toBe(home);
    expect(facts.get('system')).toBe('Linux');
  });
});
