/**
 * Inputs for the loader fuzzer: the repository's own inventories, playbooks, vars files and
 * templates as seeds, generated YAML documents, and mutations that break them the way hands
 * and editors do (a deleted run, a stray token, a bad indent, a truncated file).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { repoRoot } from '../support/sandbox.js';

export type FuzzTarget = 'inventory-yaml' | 'inventory-ini' | 'vars' | 'playbook' | 'template';
export const TARGETS: FuzzTarget[] = ['inventory-yaml', 'inventory-ini', 'vars', 'playbook', 'template'];

function filesUnder(dir: string, accept: (path: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (accept(full)) out.push(full);
    }
  };
  walk(join(repoRoot, dir));
  return out;
}

const read = (paths: string[]) => paths.map((path) => readFileSync(path, 'utf8'));
const isYaml = (path: string) => /\.ya?ml$/.test(path);

/**
 * Templates from the template corpus (cases that run commands or read the clock through
 * lookups are left out: the fuzzer must not run what a mutation spells) and the roles' .j2.
 */
function templateSeeds(): string[] {
  const corpus = filesUnder('test/template/corpus', isYaml).flatMap((path) => {
    const doc = parse(readFileSync(path, 'utf8'), { logLevel: 'silent' }) as { cases?: { template?: unknown }[] } | null;
    return (doc?.cases ?? []).map((each) => each.template).filter((text): text is string => typeof text === 'string');
  });
  return [...corpus, ...read(filesUnder('roles', (path) => path.endsWith('.j2')))].filter((text) => !/pipe|lines|env|password|now\(|url|dig/.test(text));
}

export interface Seeds {
  [target: string]: string[];
}

export function loadSeeds(): Seeds {
  const inventories = filesUnder('test/inventory/fixtures', () => true);
  const playbooks = [...filesUnder('test/playbook/fixtures', isYaml), ...filesUnder('playbooks', isYaml), ...filesUnder('test/apply/fixtures', isYaml)];
  const vars = [...filesUnder('group_vars', isYaml), ...filesUnder('roles', (path) => isYaml(path) && /\/(defaults|vars)\//.test(relative(repoRoot, path)))];
  return {
    'inventory-yaml': read(inventories.filter(isYaml)),
    'inventory-ini': read(inventories.filter((path) => !isYaml(path) && !path.endsWith('.json'))),
    vars: read(vars),
    playbook: read(playbooks),
    template: templateSeeds(),
  };
}

/** Tokens that mean something to YAML, INI inventories, Jinja2 or a shell. */
const TOKENS = [
  '{{', '}}', '{%', '%}', '{#', '#}', '{{ x }}', '{% if %}', '{% for x in y %}', '{% endfor %}', '|', '| default', '(', ')', '[', ']', '{', '}',
  ':', ': ', '- ', '-', '? ', '&a ', '*a', '<<: *a', '!!str ', '!!binary ', '!!python/object:os.system ', '!unsafe ', '!vault |', '!!map ', '---\n', '...\n',
  '#', '"', "'", '\\', '\t', '\n', '\r\n', ' ', '  ', '\u00a0', '\ufeff', 'é', '🙂', '\u0000', '=', ',', ';', '$(', '`', '%', '@', '~', '!',
  '[group]', '[group:vars]', '[group:children]', 'host[0:3]', 'host[a:c]', 'ansible_host=', 'hosts: ', 'tasks:', 'vars:', 'roles:', 'block:', 'loop:',
  'import_playbook: ', 'include_tasks: ', 'when: ', 'register: ', 'import_tasks: ', 'name: ', 'null', '~', 'yes', 'no', '0x1F', '0o17', '1e3', '.inf', '.nan',
  '2024-01-15', '12:30:00', 'True', 'None', 'lookup(', 'range(', 'loop.', 'self.', '__class__', 'caller(', 'super()', 'namespace(', 'dict(',
];

export type Mutation =
  | { kind: 'insert'; at: number; token: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'swap-lines'; at: number; other: number }
  | { kind: 'indent'; at: number; by: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'char'; at: number; char: string };

const position = fc.double({ min: 0, max: 1, noNaN: true });

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: position, token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 24 }) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: position }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: position, other: position }),
  fc.record({ kind: fc.constant('indent' as const), at: position, by: fc.constantFrom(' ', '  ', '\t', '-', 'unindent') }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({ kind: fc.constant('char' as const), at: position, char: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) }),
);

const index = (at: number, length: number) => Math.min(length, Math.floor(at * (length + 1)));

export function mutate(text: string, change: Mutation): string {
  const lines = text.split('\n');
  const line = index(change.at, lines.length - 1);
  switch (change.kind) {
    case 'insert': {
      const at = index(change.at, text.length);
      return text.slice(0, at) + change.token + text.slice(at);
    }
    case 'delete': {
      const at = index(change.at, text.length);
      return text.slice(0, at) + text.slice(at + change.length);
    }
    case 'duplicate-line':
      return [...lines.slice(0, line + 1), lines[line] ?? '', ...lines.slice(line + 1)].join('\n');
    case 'swap-lines': {
      const other = index(change.other, lines.length - 1);
      const swapped = [...lines];
      [swapped[line], swapped[other]] = [lines[other] ?? '', lines[line] ?? ''];
      return swapped.join('\n');
    }
    case 'indent': {
      const changed = [...lines];
      const current = lines[line] ?? '';
      changed[line] = change.by === 'unindent' ? current.replace(/^ {1,2}/, '') : change.by + current;
      return changed.join('\n');
    }
    case 'truncate':
      return text.slice(0, index(change.at, text.length));
    case 'char': {
      const at = index(change.at, text.length);
      return text.slice(0, at) + change.char + text.slice(at + 1);
    }
  }
}

/** Small YAML documents of any shape (maps of lists of scalars, tagged or not) for any target. */
export const generatedYaml: fc.Arbitrary<string> = fc
  .oneof(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }))
  .map((value) => stringify(value));

export interface FuzzCase {
  target: FuzzTarget;
  /** Which seed (modulo the target's seed count), or a generated document. */
  base: { seed: number } | { generated: string };
  mutations: Mutation[];
}

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.record({
  target: fc.constantFrom(...TARGETS),
  base: fc.oneof({ arbitrary: fc.record({ seed: fc.nat() }), weight: 4 }, { arbitrary: fc.record({ generated: generatedYaml }), weight: 1 }),
  mutations: fc.array(mutation, { minLength: 0, maxLength: 6 }),
});

export function caseText(fuzz: FuzzCase, seeds: Seeds): string {
  const pool = seeds[fuzz.target] ?? [];
  const base = 'generated' in fuzz.base ? fuzz.base.generated : (pool[fuzz.base.seed % pool.length] ?? '');
  return fuzz.mutations.reduce(mutate, base);
}
