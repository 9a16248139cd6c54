import { Script, sh } from '../../shell/script.js';
import { splitLines, splitPy } from '../../template/python/text.js';
import { PyDict, type PyValue } from '../../template/values.js';
import type { ArgSpec } from '../argspec.js';
import { field } from '../remote.js';
import type { ModuleDef, ModuleResult } from '../types.js';
import { BIN_PATH, missingExecutable } from './bin-path.js';
import { moduleFailure } from './module-failure.js';

// modules/getent.py
const spec: ArgSpec = {
  options: {
    database: { type: 'str', required: true },
    key: { type: 'str' },
    service: { type: 'str' },
    split: { type: 'str' },
    fail_key: { type: 'bool', default: true },
  },
};

/** Databases whose records getent.py splits at colons when no `split` is given. */
const COLON_DATABASES = ['passwd', 'shadow', 'group', 'gshadow'];

/** getent's exit statuses, as getent.py words them (any other: "Unexpected failure!"). */
const FAILURES: Record<number, string> = {
  1: 'Missing arguments, or database unknown.',
  2: 'One or more supplied key could not be found in the database.',
  3: 'Enumeration not supported on this database.',
};

/** `getent DATABASE [KEY] [-s SERVICE]`, found as get_bin_path finds it; its stdout and status. */
function getentScript(database: string, key: string | null, service: string | null): Script {
  const command = Script.concat([
    sh`"$fleet_bin" ${database}`,
    key === null ? '' : sh` ${key}`,
    service === null ? '' : sh` -s ${service}`,
  ]);
  return Script.join([
    BIN_PATH,
    Script.raw('if ! fleet_bin_path getent; then fleet_emit missing "$fleet_bin_paths"; exit 0; fi'),
    Script.concat(['fleet_out=$(', command, '); fleet_emit rc "$?"; fleet_emit stdout "$fleet_out"']),
  ]);
}

/** Each line split into a key and its fields; a key seen again collects its records in a list. */
function records(stdout: string, split: string | null): PyDict {
  const tree = new PyDict();
  const seen = new Map<string, number>();
  for (const line of splitLines(stdout, false)) {
    const [name, ...fields] = splitPy(line, split, -1);
    if (name === undefined) continue;
    const count = seen.get(name) ?? 0;
    if (count === 0) tree.set(name, fields);
    else if (count === 1) tree.set(name, [tree.get(name) as PyValue, fields]);
    else (tree.get(name) as PyValue[]).push(fields);
    seen.set(name, count + 1);
  }
  return tree;
}

/**
 * getent: runs the host's getent and sets the fact `getent_<database>`. Hosts without getent
 * (macOS) fail with Ansible's own message naming the executable and the paths searched.
 */
export const getent: ModuleDef = {
  name: 'getent',
  spec,
  supportsCheckMode: true,
  asyncJob: true,
  async run(args, ctx): Promise<ModuleResult> {
    const database = args.get('database') as string;
    const key = args.get('key') as string | null;
    const split = (args.get('split') as string | null) ?? (COLON_DATABASES.includes(database) ? ':' : null);
    // getent.py's line.split('') raises before anything is reported.
    if (split === '') return moduleFailure({ stdout: '', stderr: 'ValueError: empty separator\n', rc: 1 });
    const output = await ctx.remote(getentScript(database, key, args.get('service') as string | null));
    if (output.fields.has('missing')) return { failed: true, msg: missingExecutable('getent', field(output, 'missing')) };
    if (!output.fields.has('rc')) return moduleFailure({ stdout: output.stray, stderr: output.stderr, rc: output.rc });
    const rc = Number(field(output, 'rc'));
    const fact = `getent_${database}`;
    if (rc === 0) return { changed: false, ansible_facts: new PyDict([[fact, records(field(output, 'stdout'), split)]]) };
    const msg = FAILURES[rc] ?? 'Unexpected failure!';
    if (rc === 2 && args.get('fail_key') === false) {
      return { changed: false, msg, ansible_facts: new PyDict([[fact, new PyDict([[key, null]])]]) };
    }
    return { failed: true, msg };
  },
};
