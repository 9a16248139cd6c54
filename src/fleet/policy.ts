import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import { fromPy } from '../template/values.js';
import { loadYamlValue, positionOf } from '../yaml/load.js';

/**
 * The "No Anthropic" policy of BANNED_PROVIDERS.yml and the one matcher that applies it.
 * The golden_state role's check-banned script applies the same rules on the hosts:
 * providers and env vars match as whole words, models are globs matched at the start of a
 * word, endpoints match anywhere; all case-insensitively.
 */

export const POLICY_FILE_NAME = 'BANNED_PROVIDERS.yml';

const names = z.array(z.string().min(1)).default([]);
export const bannedPolicySchema = z.strictObject({
  providers: names,
  models: names,
  endpoints: names,
  env_vars: names,
});

export type BannedPolicyData = z.infer<typeof bannedPolicySchema>;
export type BannedKind = 'provider' | 'model' | 'endpoint' | 'env var';

export interface BannedPolicy {
  file: string;
  rules: BannedRule[];
}

interface BannedRule {
  kind: BannedKind;
  value: string;
  pattern: RegExp;
}

export interface BannedMatch {
  kind: BannedKind;
  /** The policy entry that matched (`claude-*`), not the matched text. */
  value: string;
  /** 0-based offset of the match in the text. */
  index: number;
}

// Words are delimited as grep -w delimits them (by anything but letters, digits and `_`);
// a model glob must also not follow a `-`, as check-banned's `[^[:alnum:]_-]` has it.
const WORD_CHAR = 'A-Za-z0-9_';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function wordRule(kind: BannedKind, value: string): BannedRule {
  return { kind, value, pattern: new RegExp(`(?<![${WORD_CHAR}])${escapeRegExp(value)}(?![${WORD_CHAR}])`, 'gi') };
}

function globRule(value: string): BannedRule {
  const body = value.split('*').map(escapeRegExp).join('\\S*');
  return { kind: 'model', value, pattern: new RegExp(`(?<![${WORD_CHAR}-])${body}`, 'gi') };
}

export function compilePolicy(data: BannedPolicyData, file: string): BannedPolicy {
  return {
    file,
    // Most specific first: where several entries match at one place, the first names it.
    rules: [
      ...data.models.map(globRule),
      ...data.endpoints.map((value): BannedRule => ({ kind: 'endpoint', value, pattern: new RegExp(escapeRegExp(value), 'gi') })),
      ...data.env_vars.map((value) => wordRule('env var', value)),
      ...data.providers.map((value) => wordRule('provider', value)),
    ],
  };
}

/** Every banned value in a text, in order of position; one match per rule and position. */
export function bannedMatches(policy: BannedPolicy, text: string): BannedMatch[] {
  const matches: BannedMatch[] = [];
  for (const rule of policy.rules) {
    // exec on the rule's own regex: matchAll would copy it for every one of the run's values.
    rule.pattern.lastIndex = 0;
    for (let found = rule.pattern.exec(text); found; found = rule.pattern.exec(text)) {
      matches.push({ kind: rule.kind, value: rule.value, index: found.index });
      if (found[0] === '') rule.pattern.lastIndex++;
    }
  }
  return matches.sort((a, b) => a.index - b.index);
}

export function loadBannedPolicy(file: string): BannedPolicy {
  const data = loadYamlValue(file);
  const parsed = bannedPolicySchema.safeParse(fromPy(data));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`${POLICY_FILE_NAME}: ${issue?.path.join('.') || 'document'}: ${issue?.message}`, {
      location: positionOf(data) ?? { file, line: 1, col: 1 },
    });
  }
  return compilePolicy(parsed.data, file);
}

/** The nearest BANNED_PROVIDERS.yml in `start` or a directory above it, as ansible.cfg is found by walking up. */
export function findPolicyFile(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, POLICY_FILE_NAME);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
