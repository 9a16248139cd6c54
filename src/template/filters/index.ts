import type { Filter } from '../registry.js';
import { ansibleCollectionFilters } from './ansible_collections.js';
import { ansibleValueFilters } from './ansible_values.js';
import { cryptFilters } from './crypt.js';
import { encodingFilters } from './encoding.js';
import { jinjaListFilters } from './jinja_lists.js';
import { jinjaStringFilters } from './jinja_strings.js';
import { jinjaValueFilters } from './jinja_values.js';
import { pathFilters } from './paths.js';
import { regexFilters } from './regex.js';
import { serializeFilters } from './serialize.js';
import { timeFilters } from './time.js';

/** Jinja2 3.1.2's builtin filters: reachable by their short names only. */
const jinjaFilters: Record<string, Filter> = {
  ...jinjaStringFilters,
  ...jinjaListFilters,
  ...jinjaValueFilters,
  tojson: serializeFilters.tojson as Filter,
  pprint: serializeFilters.pprint as Filter,
};

/** Ansible's own filters, which override Jinja2's of the same name (random, unique). */
const ansibleFilters: Record<string, Filter> = {
  ...Object.fromEntries(Object.entries(serializeFilters).filter(([name]) => name !== 'tojson' && name !== 'pprint')),
  ...ansibleCollectionFilters,
  ...ansibleValueFilters,
  ...encodingFilters,
  ...cryptFilters,
  ...pathFilters,
  ...regexFilters,
  ...timeFilters,
  unique: jinjaListFilters.unique as Filter,
};

/** Ansible's plugins also answer to `ansible.builtin.NAME` and `ansible.legacy.NAME`; Jinja2's do not. */
const qualified = (plugins: Record<string, Filter>): Record<string, Filter> =>
  Object.fromEntries(
    Object.entries(plugins).flatMap(([name, fn]) => [
      [`ansible.builtin.${name}`, fn],
      [`ansible.legacy.${name}`, fn],
    ]),
  );

export const filters: Record<string, Filter> = {
  ...jinjaFilters,
  ...ansibleFilters,
  ...qualified(ansibleFilters),
};
