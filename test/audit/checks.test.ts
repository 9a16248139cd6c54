/** The audit's checks over probe results, without hosts: the cases the sandbox tests do not stage. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bannedFindings } from '../../src/audit/checks/banned.js';
import { cronFindings } from '../../src/audit/checks/cron.js';
import { identityFindings } from '../../src/audit/checks/identity.js';
import type { CommandOutput, HostProbe } from '../../src/audit/host_probe.js';
import { loadBannedPolicy } from '../../src/fleet/policy.js';
import { repoRoot } from '../support/sandbox.js';

const ok = (stdout: string): CommandOutput => ({ rc: 0, stdout, stderr: '' });

function probe(host: string, overrides: Partial<HostProbe['vars']> = {}, outputs: HostProbe['outputs'] = {}): HostProbe {
  const home = `/root/wizards/${host}/home`;
  return {
    host,
    vars: {
      agent_name: host,
      address: '203.0.113.10',
      user: 'root',
      agent_home: home,
      config_file: `${home}/config.yaml`,
      env_file: `${home}/.env`,
      thin_config_file: `${home}/thin-config.yaml`,
      request_log_db: '/root/wizards/request_log/request_log.sqlite3',
      agent_command: 'hermes gateway run',
      cron_jobs: [`fleet:${host}:deadman`, 'fleet:machine:request-log-rotate'],
      wizards: ['allegro', 'bezalel', 'ezra', 'timmy'],
      ...overrides,
    },
    outputs: { thinConfig: ok(`# pointers\nidentity: "${host}"\n`), processes: ok(`7\t/usr/bin/python3 /usr/local/bin/hermes gateway run\n`), ...outputs },
  };
}

const sharedCrontab = ok(
  [
    '#Ansible: fleet:allegro:deadman',
    '*/5 * * * * /root/wizards/allegro/home/bin/deadman',
    '#Ansible: fleet:ezra:deadman',
    '*/5 * * * * /root/wizards/ezra/home/bin/deadman',
    '#Ansible: fleet:machine:request-log-rotate',
    '17 3 * * * /root/wizards/request_log/rotate',
    'MAILTO=ops@example.org',
    '0 * * * * /usr/local/bin/backup',
    '',
  ].join('\n'),
);

describe('cron entries', () => {
  it('are managed when a wizard sharing the crontab declares them; others are reported once per crontab', () => {
    const findings = cronFindings([probe('allegro', {}, { crontab: sharedCrontab }), probe('ezra', {}, { crontab: sharedCrontab })]);
    expect(findings).toEqual([{ host: 'allegro', kind: 'cron', what: 'cron entry no role manages: 0 * * * * /usr/local/bin/backup', where: 'crontab of root@203.0.113.10:8' }]);
  });

  it('of a wizard --limit left out are its own audit\'s business, unlike names no inventory wizard has', () => {
    const crontab = ok(`${sharedCrontab.stdout}#Ansible: fleet:gone:deadman\n* * * * * true\n`);
    expect(cronFindings([probe('allegro', {}, { crontab })]).map((finding) => finding.where)).toEqual(['crontab of root@203.0.113.10:8', 'crontab of root@203.0.113.10:10']);
  });
});

describe('identity', () => {
  it('reports two hosts with one address and home, a thin config naming another identity, and agent process counts', () => {
    const home = { agent_home: '/root/wizards/allegro/home' };
    const twin = probe('twin', home, { thinConfig: ok('identity: "allegro"\n'), processes: ok('') });
    const findings = identityFindings([probe('allegro', home, { processes: ok('7\thermes gateway run\n8\thermes gateway run\n') }), twin]);
    expect(findings.map((finding) => `${finding.host}: ${finding.what}`)).toEqual([
      'twin: the deployed identity is "allegro", not "twin"',
      'allegro: allegro, twin share address 203.0.113.10 and agent home /root/wizards/allegro/home',
      'twin: allegro, twin share address 203.0.113.10 and agent home /root/wizards/allegro/home',
      'allegro: 2 agent processes of allegro run (pids 7, 8); one is expected',
      'twin: no agent process of twin runs',
    ]);
  });
});

describe('banned providers', () => {
  const policy = loadBannedPolicy(join(repoRoot, 'BANNED_PROVIDERS.yml'));

  it('in .env name the key and line, never the value, also when only the value is banned', () => {
    const env = ok('KIMI_API_KEY=k\nBACKUP_URL=https://api.anthropic.com/v1?key=s3cret\n');
    const findings = bannedFindings(policy, probe('ezra', {}, { env }));
    expect(findings).toEqual([{ host: 'ezra', kind: 'banned', what: '.env key BACKUP_URL holds a banned endpoint api.anthropic.com', where: '/root/wizards/ezra/home/.env:2' }]);
    expect(JSON.stringify(findings)).not.toContain('s3cret');
  });

  it('in config.yaml name the line; an unreadable request_log is a finding of its own', () => {
    const config = ok('model:\n  default: "claude-3-opus"\n');
    const requestLog: CommandOutput = { rc: 1, stdout: '', stderr: 'Error: unable to open database\n' };
    expect(bannedFindings(policy, probe('ezra', {}, { config, requestLog }))).toEqual([
      { host: 'ezra', kind: 'banned', what: 'config.yaml holds a banned model claude-*', where: '/root/wizards/ezra/home/config.yaml:2' },
      { host: 'ezra', kind: 'failed', what: 'request_log not readable: Error: unable to open database', where: '/root/wizards/request_log/request_log.sqlite3' },
    ]);
  });
});
