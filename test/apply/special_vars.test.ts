import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyInventory, fixtures, fleetApply } from './support.js';

/**
 * The role_names family and ansible_parent_role_names (Ansible's special_vars target); every
 * expected line is what ansible-playbook 2.14 printed for test/apply/fixtures/special_vars.yml.
 */
describe('role and play magic variables', () => {
  let messages: string[] = [];
  beforeAll(async () => {
    const run = await fleetApply({ inventory: [applyInventory()], playbook: join(fixtures, 'special_vars.yml'), limit: 'h1' });
    expect(run.exitCode).toBe(0);
    messages = [...run.output.matchAll(/"msg": "(.*)"/g)].map((match) => match[1] as string);
  }, 120_000);

  it('lists the roles a play names or imports, their dependencies, and a public include once it ran', () => {
    expect(messages).toContain(
      "all ['sv_listed', 'sv_importer', 'sv_imported'] ['sv_listed', 'sv_importer', 'sv_imported'] ['sv_dep'] ['sv_dep', 'sv_imported', 'sv_importer', 'sv_listed'] UNDEF",
    );
    expect(messages).toContain("after ['sv_listed', 'sv_importer', 'sv_imported', 'sv_public'] ['sv_dep', 'sv_imported', 'sv_importer', 'sv_listed', 'sv_public']");
    expect(messages).toContain('Second play [] [] []');
  });

  it('names the roles that imported or included a role, innermost first, and no parent for a dependency', () => {
    expect(messages).toEqual([
      'sv_dep sv_dep sv_dep  parents=UNDEF []',
      'sv_listed sv_listed sv_listed  parents=UNDEF []',
      'sv_importer sv_importer sv_importer  parents=UNDEF []',
      "sv_imported sv_imported sv_imported  parents=['sv_importer'] ['sv_importer']",
      "sv_included_dep sv_included_dep sv_included_dep  parents=['sv_importer'] ['sv_importer']",
      "sv_included sv_included sv_included  parents=['sv_importer'] ['sv_importer']",
      "sv_dep sv_dep sv_dep  parents=['sv_included', 'sv_importer'] ['sv_included', 'sv_importer']",
      expect.stringMatching(/^all /),
      'sv_public sv_public sv_public  parents=UNDEF []',
      expect.stringMatching(/^after /),
      'Second play [] [] []',
    ]);
  });
});
