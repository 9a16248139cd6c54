import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// scripts/conformance-shim/ansible-playbook stands in for ansible-playbook in runme.sh targets;
// FLEET=echo shows the fleet command line it would run.
const shim = join(import.meta.dirname, '../../scripts/conformance-shim/ansible-playbook');

function runShim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(shim, args, { encoding: 'utf8', env: { ...process.env, FLEET: 'echo fleet' } });
  return { status: run.status, stdout: run.stdout.trimEnd(), stderr: run.stderr.trimEnd() };
}

describe('the ansible-playbook shim for runme.sh targets', () => {
  it("passes ansible-playbook's flags that fleet apply has, splitting --name=value", () => {
    const run = runShim(['main.yml', '-i', '../../inventory', '-vv', '--tags=a,b', '--skip-tags', 'c', '-e', 'x=1', '--check', '-l', 'A']);
    expect(run).toEqual({ status: 0, stdout: 'fleet apply main.yml -i ../../inventory -vv -t a,b --skip-tags c -e x=1 --check -l A', stderr: '' });
  });

  it('passes the connection and become flags on', () => {
    const run = runShim(['-i', 'localhost,', '-c', 'local', '-u', 'me', '-b', '--become-user', 'root', 'quiet.yml']);
    expect(run).toEqual({ status: 0, stdout: 'fleet apply -i localhost, -c local -u me -b --become-user root quiet.yml', stderr: '' });
  });

  it('passes --flush-cache on', () => {
    const run = runShim(['-i', 'localhost,', '--flush-cache', 'quiet.yml']);
    expect(run).toEqual({ status: 0, stdout: 'fleet apply -i localhost, --flush-cache quiet.yml', stderr: '' });
  });

  it('refuses a flag fleet apply lacks, naming it', () => {
    const run = runShim(['-i', 'localhost,', '--step', 'quiet.yml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("ansible-playbook shim: fleet apply has no equivalent of '--step'");
    expect(run.stdout).toBe('');
  });
});
