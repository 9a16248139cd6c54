import { EXECUTOR_ACTIONS, type ActionPredicate } from '../../src/playbook/actions.js';

/** Module names other helpers are adding; the loader tests do not wait for the registry. */
const MODULES = new Set(['command', 'shell', 'copy', 'file', 'debug', 'set_fact', 'template', 'stat', 'lineinfile']);

export const testActions: ActionPredicate = (name) => MODULES.has(name) || EXECUTOR_ACTIONS.has(name);
