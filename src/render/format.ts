import type { RenderResult } from './index.js';

/**
 * The text a reviewer reads: per host, per task a `# TASK [name] (file:line)` header and the
 * scripts exactly as sent (masked); a task that sends several (loop items, a module that
 * reads before it writes) numbers them.
 */
export function renderText(result: RenderResult): string {
  const out: string[] = [];
  for (const note of result.notes) out.push(`# NOTE ${note}`);
  for (const { host, tasks } of result.hosts) {
    out.push(`# HOST [${host}] ${'#'.repeat(60)}`);
    for (const task of tasks) {
      out.push(`# TASK [${task.name}] (${task.path})${task.ran ? ' (read-only: ran on the host)' : ''}`);
      task.scripts.forEach((script, index) => {
        const ranAlone = !task.ran && task.scriptsRan[index] === true;
        if (task.scripts.length > 1) out.push(`# script ${index + 1} of ${task.scripts.length}${ranAlone ? ' (read-only: ran on the host)' : ''}`);
        out.push(script.endsWith('\n') ? script.slice(0, -1) : script);
      });
      out.push('');
    }
  }
  return `${out.join('\n')}\n`;
}

export function renderJson(result: RenderResult): string {
  return `${JSON.stringify({ hosts: result.hosts, notes: result.notes }, null, 2)}\n`;
}
