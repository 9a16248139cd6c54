/** The playbook `fleet pull` runs when none is named; a module of its own so the CLI's help names it without loading the pull. */
export const DEFAULT_PULL_PLAYBOOK = 'playbooks/site.yml';
