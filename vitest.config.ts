import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/**
 * Two projects. `hosts`: the test files that use the sandbox sshd hosts, cron tables, sshd
 * processes or the machine's users and groups, which tests share (h1 serves many files,
 * sandbox set-up adds users); they run one at a time.
 * `local`: the rest, which touch only temp dirs and their own processes. `npm test`
 * (scripts/test.sh) runs the two projects side by side.
 * A file is in `hosts` when its text names the sandbox or one of these helpers that reach
 * it: a new test that uses the hosts another way must name one, or run beside others.
 */
const USES_SHARED_HOSTS = /sandbox|sshd|crontab|127\.0\.|useradd|userdel|groupadd|groupdel|applyHosts|applyInventory|resetHost|historyHost|HISTORY_HOST|history\/project|reliability\/support|makeProject|fleetApply\(/;

const testFiles = readdirSync('test', { recursive: true, encoding: 'utf8' })
  .filter((path) => path.endsWith('.test.ts'))
  .map((path) => `test/${path}`);
const hostFiles = testFiles.filter((file) => USES_SHARED_HOSTS.test(readFileSync(file, 'utf8')));
const localFiles = testFiles.filter((file) => !hostFiles.includes(file));

/**
 * isolate: false: each project's files share one module graph, not one per file. Re-evaluating
 * fleet's modules for every file took 202 s of CI's 1,180 s local stream and 101 s of the hosts
 * stream's 1,184 (shared: 63 s and 24 s). Files leave no state behind that another reads: a file
 * that changes process-wide state (process.env, the cwd) restores it.
 */
const shared = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' as const, isolate: false, globalSetup: ['test/support/test_build.ts'] };

export default defineConfig({
  test: {
    projects: [
      // One file at a time whatever the machine; after `local` when one vitest runs both.
      { test: { ...shared, name: 'hosts', include: hostFiles, maxWorkers: 1, sequence: { groupOrder: 1 } } },
      { test: { ...shared, name: 'local', include: localFiles, sequence: { groupOrder: 0 } } },
    ],
  },
});
