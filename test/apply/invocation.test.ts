import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ansibleApply, applyInventory, fixtures, successfulOutput, hasAnsible, sortedSections } from './support.js';

const playbook = join(fixtures, 'invocation.yml');
const INVOCATIONS = /^TASK \[each item's invocation\]/;
// The user module's default ssh_key_comment names the host (socket.gethostname() there); fleet has no such value.
const HOSTNAME_DEFAULT = /ansible-generated on [^\\"]+/g;

function invocationSection(output: string): string[] {
  const section = sortedSections(output).find(([banner]) => INVOCATIONS.test(banner as string)) ?? [];
  return section.map((line) => line.replace(HOSTNAME_DEFAULT, 'ansible-generated on HOST'));
}

/**
 * A registered loop keeps each item's `invocation.module_args` and drops only the top-level
 * one; the expected lines are what ansible-playbook 2.14 printed for test/apply/fixtures/invocation.yml.
 */
describe('invocation of registered loop items', () => {
  let output = '';
  beforeAll(async () => {
    output = await successfulOutput(playbook);
  }, 300_000);

  it("command's item carries every option with its default", () => {
    expect(output).toContain(
      String.raw`"msg": "command [{\"module_args\": {\"_raw_params\": \"echo 1\", \"_uses_shell\": false, \"argv\": null, \"chdir\": null, \"creates\": null, \"executable\": null, \"removes\": null, \"stdin\": null, \"stdin_add_newline\": true, \"strip_empty_ends\": true}}]"`,
    );
  });

  it('a skipped item has none; shell is command with _uses_shell', () => {
    expect(output).toContain(String.raw`"msg": "shell [\"none\", {\"module_args\": {\"_raw_params\": \"echo 2\", \"_uses_shell\": true,`);
  });

  it('an alias keeps its key beside the canonical name; a mode stays as written', () => {
    expect(output).toContain(String.raw`\"dest\": \"/tmp/fleet-invocation-h1/d1\", \"follow\": true, \"force\": false, \"group\": null, \"mode\": \"0755\",`);
    expect(output).toContain(String.raw`\"path\": \"/tmp/fleet-invocation-h1/d1\", \"recurse\": false,`);
  });

  it('find reports the patterns it filled in; a failed item keeps its invocation', () => {
    expect(output).toContain(String.raw`\"paths\": [\"/tmp/fleet-invocation-h1\"], \"patterns\": [\"*\"],`);
    expect(output).toContain(String.raw`"msg": "failed [{\"module_args\": {\"_raw_params\": \"false 1\",`);
  });

  it('a module without check mode, skipped in check mode, reports the arguments it validated', () => {
    expect(output).toContain(String.raw`"msg": "tempfile [{\"module_args\": {\"path\": \"/tmp/fleet-invocation-h1\", \"prefix\": \"ansible.\", \"state\": \"file\", \"suffix\": \"\"}}]"`);
  });

  it('arguments that fail validation are reported as far as it got: converted where they could be, unsupported ones as written', () => {
    expect(output).toContain(String.raw`"msg": "unconvertible [{\"module_args\": {\"checksum_algorithm\": \"sha1\", \"follow\": \"maybe\", \"get_attributes\": true, \"get_checksum\": true, \"get_md5\": true,`);
    expect(output).toContain(String.raw`\"argv\": null, \"bogus\": 1, \"chdir\": \"/tmp/fleet-invocation-h1\",`);
  });

  it('a path option shows ~ expanded in the home of the host the module ran on; its alias as written', () => {
    expect(output).toMatch(/\\"dest\\": \\"~\/fleet-invocation-nothing\\", .*\\"path\\": \\"\/[^"\\]+\/fleet-invocation-nothing\\"/);
  });

  it("copy with remote_src reports the copy module's arguments, without the action's decrypt", () => {
    expect(output).toContain(String.raw`"msg": "remote copy [{\"module_args\": {\"_original_basename\": null, \"attributes\": null, \"backup\": false, \"checksum\": null, \"content\": null, \"dest\": \"/tmp/fleet-invocation-h1/d1/g1\", \"directory_mode\": null, \"follow\": false, \"force\": true, \"group\": null, \"local_follow\": null, \"mode\": \"0600\", \"owner\": null, \"remote_src\": true, \"selevel\": null, \"serole\": null, \"setype\": null, \"seuser\": null, \"src\": \"/tmp/fleet-invocation-h1/d1/f\", \"unsafe_writes\": false, \"validate\": null}}]"`);
  });

  it("a no_log option's value is masked", () => {
    expect(output).toContain(String.raw`\"password\": \"VALUE_SPECIFIED_IN_NO_LOG_PARAMETER\",`);
    expect(output).not.toContain('secret1');
  });

  it('a rescue sees the failed result with its invocation', () => {
    expect(output).toContain('"msg": "failed result false"');
  });

  it('the registered loop result itself has no invocation', () => {
    expect(output).toContain('"msg": "top-level False"');
  });

  it.skipIf(!hasAnsible())('prints the invocations ansible-playbook prints', () => {
    const ansible = ansibleApply(applyInventory(), playbook);
    expect(ansible.exitCode).toBe(0);
    expect(invocationSection(output)).toEqual(invocationSection(ansible.output));
  }, 300_000);
});
