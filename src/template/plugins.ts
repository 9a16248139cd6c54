import { filters } from './filters/index.js';
import { lookups } from './lookups/index.js';
import type { Filter, Lookup, Test } from './registry.js';
import { tests } from './tests/index.js';

/** The filters, tests and lookups a Templar dispatches to, by name. */
export interface PluginRegistry {
  filters: Record<string, Filter>;
  tests: Record<string, Test>;
  lookups: Record<string, Lookup>;
}

const DEFAULT_PLUGINS: PluginRegistry = { filters, tests, lookups };

/** fleet's own plugins (src/template/filters, tests, lookups). */
export function defaultPlugins(): PluginRegistry {
  return DEFAULT_PLUGINS;
}
