import { factsFromRecords, factsScript, familiesFor } from '../../facts/index.js';
import { localFactWarnings } from '../../facts/local.js';
import { PYTHON_FACT_COLLECTORS, pythonFacts, pythonFactsScript } from '../../facts/python.js';
import { GatherSubsetError, selectedCollectors } from '../../facts/subsets.js';
import { Script } from '../../shell/script.js';
import { PyDict } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import type { ModuleDef } from '../types.js';

// modules/setup.py argument_spec
const spec: ArgSpec = {
  options: {
    gather_subset: { type: 'list', elements: 'str', default: ['all'] },
    gather_timeout: { type: 'int', default: 10 },
    filter: { type: 'list', elements: 'str', default: [] },
    fact_path: { type: 'path', default: '/etc/ansible/facts.d' },
  },
};

/** fnmatch.fnmatch (case-sensitive on POSIX): `*`, `?` and `[...]`. */
function fnmatch(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i] as string;
    if (ch === '*') source += '.*';
    else if (ch === '?') source += '.';
    else if (ch === '[' && pattern.indexOf(']', i + 2) > i) {
      const end = pattern.indexOf(']', i + 2);
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      source += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

/**
 * AnsibleFactCollector._filter: a fact stays when a pattern matches its name, or, for a
 * pattern not starting with ansible_, facter or ohai, matches it with `ansible_` put in front.
 * No pattern (or an empty one, or `*`) keeps everything.
 */
function factFilter(filters: readonly string[]): (name: string) => boolean {
  if (filters.length === 0 || filters.some((filter) => filter === '' || filter === '*')) return () => true;
  const patterns = filters.flatMap((filter) => [fnmatch(filter), ...(/^(ansible_|facter|ohai)/.test(filter) ? [] : [fnmatch(`ansible_${filter}`)])]);
  return (name) => patterns.some((pattern) => pattern.test(name));
}

/**
 * The setup module: the fact families gather_subset selects (facts/subsets.ts), in one round
 * trip, returned as Ansible returns them (`ansible_`-prefixed keys under ansible_facts); a
 * family none of whose facts are returned does not run. gather_timeout is accepted (fleet's
 * gathering is one short script). ansible_local comes from fact_path.
 */
export const setup: ModuleDef = {
  name: 'setup',
  spec,
  supportsCheckMode: true,
  asyncJob: true,
  async run(args, ctx) {
    let collectors: Set<string>;
    try {
      collectors = selectedCollectors((args.get('gather_subset') as string[] | null) ?? ['all'], ctx.userland.system);
    } catch (error) {
      if (error instanceof GatherSubsetError) return { failed: true, msg: error.message };
      throw error;
    }
    // One round trip: the python probe's record follows the families' prefixed ones.
    const interpreter = ctx.vars.get('ansible_python_interpreter');
    const factPath = (args.get('fact_path') as string | null) ?? undefined;
    const families = familiesFor(collectors, factPath);
    const askPython = Object.values(PYTHON_FACT_COLLECTORS).some((name) => collectors.has(name));
    const output = await ctx.remote(Script.join([Script.raw(factsScript(ctx.userland, families, factPath)), ...(askPython ? [pythonFactsScript(interpreter, ctx.host)] : [])]));
    const facts = factsFromRecords(output.fields, families, factPath, collectors);
    for (const [key, value] of Object.entries(askPython ? pythonFacts(output, ctx.host, interpreter) : {})) {
      if (collectors.has(PYTHON_FACT_COLLECTORS[key] ?? 'python')) facts.set(key, value);
    }
    const kept = factFilter((args.get('filter') as string[] | null) ?? []);
    const result = new PyDict();
    for (const [key, value] of facts) {
      const name = `ansible_${String(key)}`;
      if (kept(name)) result.set(name, value);
    }
    // The collector of these two has no namespace: the filter sees them unprefixed.
    if (kept('gather_subset')) result.set('gather_subset', args.get('gather_subset') ?? ['all']);
    if (kept('module_setup')) result.set('module_setup', true);
    // Ansible's normal action marks setup's result so -v does not print every fact.
    const warnings = localFactWarnings(facts.get('local'));
    // No `changed`: TaskExecutor adds it after `failed` (a registered result's keys: ansible_facts, failed, changed).
    return { ansible_facts: result, _ansible_verbose_override: true, ...(warnings.length > 0 ? { warnings } : {}) };
  },
};
