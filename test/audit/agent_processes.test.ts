import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AGENT_PROCESSES_SCRIPT, agentProcesses } from '../../src/audit/agent_processes.js';

describe('agent processes', () => {
  it('lists them with a POSIX sh script that shellcheck accepts', () => {
    expect(() => execFileSync('shellcheck', ['-s', 'sh', '-'], { input: `#!/bin/sh\n${AGENT_PROCESSES_SCRIPT}`, encoding: 'utf8' })).not.toThrow();
  });

  it('lists the processes of this user working in a directory, with their command lines', () => {
    const output = execFileSync('sh', ['-c', AGENT_PROCESSES_SCRIPT, 'probe', '/tmp'], { cwd: '/tmp', encoding: 'utf8' });
    expect(output).toMatch(/^\d+\tsh -c home=\$1/m);
  });

  it('counts the processes running the agent command, alone or after an interpreter', () => {
    const output = [
      '101\t/usr/bin/python3 /srv/agent.py --port 1 --heartbeat /h/state/heartbeat',
      '102\t/usr/bin/python3 /srv/agent.py --port 2 --heartbeat /h/state/heartbeat',
      '103\thermes gateway run',
      '104\t/usr/bin/python3 /usr/local/bin/hermes gateway run',
      '105\thermes gateway runner',
      '106\tvi config.yaml',
    ].join('\n');
    expect(agentProcesses(output, '/usr/bin/python3 /srv/agent.py --port 1  --heartbeat /h/state/heartbeat').map((each) => each.pid)).toEqual([101]);
    expect(agentProcesses(output, 'hermes gateway run').map((each) => each.pid)).toEqual([103, 104]);
  });
});
