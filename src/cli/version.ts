/** fleet's version (package.json's; test/cli/version.test.ts keeps them equal). */
export const FLEET_VERSION = '0.1.0';

/** What `fleet --version` prints, in the spirit of ansible-playbook's first lines. */
export function versionText(): string {
  return [`fleet ${FLEET_VERSION} [runs ansible-core 2.14 playbooks]`, `  node version = ${process.version}`].join('\n');
}
