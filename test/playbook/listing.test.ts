import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listingText, listTagsText, listTasksText, syntaxCheckText, type ListingOptions } from '../../src/playbook/listing.js';
import { loadPlaybook } from '../../src/playbook/load.js';
import { PyDict } from '../../src/template/values.js';
import { testActions } from './known_actions.js';

// Expected files come from the real ansible-playbook: scripts/gen-playbook-expected.sh.
const dir = join(import.meta.dirname, 'fixtures', 'listing');

function expected(name: string): string {
  return readFileSync(join(dir, `${name}.expected`), 'utf8');
}

const playbook = loadPlaybook(join(dir, 'site.yml'), {
  rolesPath: [join(dir, 'extra_roles')],
  extraVars: new PyDict(),
  isKnownAction: testActions,
});
const shown: ListingOptions = { shownAs: 'site.yml' };

describe('ansible-playbook listings of site.yml', () => {
  it('--syntax-check', () => {
    expect(syntaxCheckText(playbook, shown)).toBe(expected('site.syntax-check'));
  });
  it('--list-tasks', () => {
    expect(listTasksText(playbook, shown)).toBe(expected('site.list-tasks'));
  });
  it('--list-tags', () => {
    expect(listTagsText(playbook, shown)).toBe(expected('site.list-tags'));
  });
  it.each([
    ['site.tags-web', { tags: ['web'] }],
    ['site.tags-never', { tags: ['debugging'] }],
    ['site.tags-tagged', { tags: ['tagged'] }],
    ['site.tags-untagged', { tags: ['untagged'] }],
    ['site.skip-always', { skipTags: ['always', 'common'] }],
    ['site.skip-all', { skipTags: ['all'] }],
  ] as const)('--list-tasks %s', (name, selection) => {
    expect(listTasksText(playbook, { ...shown, ...selection })).toBe(expected(name));
  });
});

describe('templated hosts, play name and task tags', () => {
  const templated = loadPlaybook(join(dir, 'templated.yml'), {
    rolesPath: [],
    extraVars: new PyDict([
      ['target', 'localhost'],
      ['tag_var', 'tt'],
    ]),
    isKnownAction: testActions,
  });
  const options: ListingOptions = {
    shownAs: 'templated.yml',
    extraVars: new PyDict([
      ['target', 'localhost'],
      ['tag_var', 'tt'],
    ]),
    // the inventory of `-i localhost,`
    hostsOf: (patterns) => (patterns.includes('localhost') ? ['localhost'] : []),
  };

  it('--list-tasks --list-tags --list-hosts together', () => {
    expect(listingText(templated, { tasks: true, tags: true, hosts: true }, options)).toBe(expected('templated.combined'));
  });
  it('--tags selects on templated tags', () => {
    expect(listTasksText(templated, { ...options, tags: ['tt'] })).toBe(expected('templated.tags-tt'));
  });
});
