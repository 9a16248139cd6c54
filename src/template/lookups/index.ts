import type { Lookup } from '../registry.js';
import { config } from './config.js';
import { dict, indexedItems, items, list, nested, randomChoice, sequence, subelements, together } from './data.js';
import { file, fileglob, firstFound, lines, pipe, template } from './files.js';
import { inventoryHostnames } from './inventory.js';
import { password } from './password.js';
import { csvfile, ini } from './tables.js';
import { envLookup, varnames, vars } from './variables.js';

const builtin: Record<string, Lookup> = {
  config,
  vars,
  varnames,
  env: envLookup,
  file,
  template,
  first_found: firstFound,
  fileglob,
  lines,
  pipe,
  items,
  list,
  random_choice: randomChoice,
  dict,
  indexed_items: indexedItems,
  together,
  nested,
  subelements,
  sequence,
  ini,
  csvfile,
  inventory_hostnames: inventoryHostnames,
  password,
};

/** Lookups by short name and as `ansible.builtin.NAME` / `ansible.legacy.NAME`. */
export const lookups: Record<string, Lookup> = Object.fromEntries(
  Object.entries(builtin).flatMap(([name, fn]) => [
    [name, fn],
    [`ansible.builtin.${name}`, fn],
    [`ansible.legacy.${name}`, fn],
  ]),
);
