import type { ModuleResult } from '../types.js';

/**
 * What Ansible reports for a module that died (an uncaught exception, a crash) instead of
 * answering: its raw output and exit status.
 */
export function moduleFailure(died: { stdout: string; stderr: string; rc: number }): ModuleResult {
  return {
    failed: true,
    changed: false,
    msg: 'MODULE FAILURE\nSee stdout/stderr for the exact error',
    module_stdout: died.stdout,
    module_stderr: died.stderr,
    rc: died.rc,
  };
}
