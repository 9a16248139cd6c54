import { DEFAULT_CALLBACK_OPTIONS, type DefaultCallbackOptions } from '../output/callback_options.js';
import type { ResolvedConfig } from './ansible_cfg.js';
import { configBool } from './config_bool.js';

/** The default callback's options from ANSIBLE_* variables over ansible.cfg's [defaults] keys. */
export function defaultCallbackOptionsFrom(config: ResolvedConfig, check: boolean): DefaultCallbackOptions {
  const defaults = DEFAULT_CALLBACK_OPTIONS;
  return {
    displaySkippedHosts: configBool(config.get('displaySkippedHosts'), defaults.displaySkippedHosts),
    displayOkHosts: configBool(config.get('displayOkHosts'), defaults.displayOkHosts),
    displayFailedStderr: configBool(config.get('displayFailedStderr'), defaults.displayFailedStderr),
    checkModeMarkers: configBool(config.get('checkModeMarkers'), defaults.checkModeMarkers),
    showPerHostStart: configBool(config.get('showPerHostStart'), defaults.showPerHostStart),
    showTaskPathOnFailure: configBool(config.get('showTaskPathOnFailure'), defaults.showTaskPathOnFailure),
    showCustomStats: configBool(config.get('showCustomStats'), defaults.showCustomStats),
    check,
  };
}
