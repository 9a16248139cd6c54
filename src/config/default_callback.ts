import { DEFAULT_CALLBACK_OPTIONS, STDOUT_CALLBACKS, type DefaultCallbackOptions, type StdoutCallback } from '../output/callback_options.js';
import type { ResultFormatOptions } from '../output/result_format.js';
import type { ResolvedConfig } from './ansible_cfg.js';
import { configBool } from './config_bool.js';
import { SettingError } from './integer_setting.js';

const RESULT_FORMATS = ['json', 'yaml'] as const;

/** result_format and pretty_results (unset: null, which YAML takes as pretty); a format outside the fragment's choices stops the run as ConfigManager does. */
function resultFormatFrom(config: ResolvedConfig): ResultFormatOptions {
  const written = config.get('callbackResultFormat');
  const resultFormat = written === undefined ? 'json' : RESULT_FORMATS.find((choice) => choice === written);
  if (resultFormat === undefined) {
    throw new SettingError(`Invalid value "${written}" for configuration option "plugin_type: callback plugin: default setting: result_format ", valid values are: ${RESULT_FORMATS.join(', ')}`);
  }
  const pretty = config.get('callbackFormatPretty');
  return { resultFormat, prettyResults: pretty === undefined ? null : configBool(pretty, false) };
}

/** stdout_callback by its short or ansible.builtin name; another callback is warned about (settings_warnings.ts) and the default one prints. */
function stdoutCallbackFrom(config: ResolvedConfig): StdoutCallback {
  const name = config.get('stdoutCallback')?.trim().replace(/^ansible\.builtin\./, '');
  return STDOUT_CALLBACKS.find((callback) => callback === name) ?? 'default';
}

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
    stdoutCallback: stdoutCallbackFrom(config),
    ...resultFormatFrom(config),
  };
}
