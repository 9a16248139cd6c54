import { pyTruthy } from '../template/python/index.js';
import type { PyValue } from '../template/values.js';
import { DEFAULT_RESULT_FORMAT, type ResultFormatOptions } from './result_format.js';

/**
 * The options of Ansible's default stdout callback (doc fragment default_callback) that change
 * what fleet prints. `check`: the run's --check, for the DRY RUN banners.
 */
export interface DefaultCallbackOptions extends ResultFormatOptions {
  /** The stdout callback that prints (stdout_callback): the default one unless minimal or oneline. */
  stdoutCallback: StdoutCallback;
  displaySkippedHosts: boolean;
  displayOkHosts: boolean;
  displayFailedStderr: boolean;
  checkModeMarkers: boolean;
  showPerHostStart: boolean;
  showTaskPathOnFailure: boolean;
  showCustomStats: boolean;
  check: boolean;
}

export const STDOUT_CALLBACKS = ['default', 'minimal', 'oneline'] as const;
export type StdoutCallback = (typeof STDOUT_CALLBACKS)[number];

/** The fragment's defaults, which are ansible-playbook's output when ansible.cfg sets none. */
export const DEFAULT_CALLBACK_OPTIONS: DefaultCallbackOptions = {
  displaySkippedHosts: true,
  displayOkHosts: true,
  displayFailedStderr: false,
  checkModeMarkers: false,
  showPerHostStart: false,
  showTaskPathOnFailure: false,
  showCustomStats: false,
  check: false,
  stdoutCallback: 'default',
  ...DEFAULT_RESULT_FORMAT,
};

/**
 * A play's or task's check_mode as the callback reads it when it prints the banner: the keyword
 * as written, untemplated (so any text is true), else the run's --check.
 */
export function checkModeShown(written: PyValue | undefined, check: boolean): boolean {
  return written === undefined || written === null ? check : pyTruthy(written);
}
