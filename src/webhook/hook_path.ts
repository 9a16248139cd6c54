/** Where Gitea posts its webhooks; a module of its own so the CLI's help names it without loading the server. */
export const HOOK_PATH = '/hooks/gitea';
