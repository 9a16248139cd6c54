import { factsFromRecords, factsScript } from '../../facts/index.js';
import { localFactWarnings } from '../../facts/local.js';
import { pythonFacts, pythonFactsScript } from '../../facts/python.js';
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
 * The setup module: every fact family in one round trip, returned as Ansible returns them
 * (`ansible_`-prefixed keys under ansible_facts). gather_subset and gather_timeout are
 * accepted; fleet always gathers its full (small) set. ansible_local comes from fact_path.
 */
export const setup: ModuleDef = {
  name: 'setup',
  spec,
  supportsCheckMode: true,
  async run(args, ctx) {
    // One round trip: the python probe's record follows the families' prefixed ones.
    const interpreter = ctx.vars.get('ansible_python_interpreter');
    const factPath = (args.get('fact_path') as string | null) ?? undefined;
    const output = await ctx.remote(Script.join([Script.raw(factsScript(ctx.userland, undefined, factPath)), pythonFactsScript(interpreter, ctx.host)]));
    const facts = factsFromRecords(output.fields, undefined, factPath);
    for (const [key, value] of Object.entries(pythonFacts(output, ctx.host, interpreter))) facts.set(key, value);
    const patterns = ((args.get('filter') as string[] | null) ?? []).map(fnmatch);
    const result = new PyDict();
    for (const [key, value] of facts) {
      const name = `ansible_${String(key)}`;
      if (patterns.length === 0 || patterns.some((pattern) => pattern.test(name))) result.set(name, value);
    }
    result.set('gather_subset', args.get('gather_subset') ?? ['all']);
    result.set('module_setup', true);
    // Ansible's normal action marks setup's result so -v does not print every fact.
    const warnings = localFactWarnings(facts.get('local'));
    return { ansible_facts: result, changed: false, _ansible_verbose_override: true, ...(warnings.length > 0 ? { warnings } : {}) };
  },
};
