import { HostSelector } from '../inventory/index.js';
import type { RunEvents } from '../output/events.js';
import { listTagsText, listTasksText, syntaxCheckText } from '../playbook/listing.js';
import { Templar } from '../template/index.js';
import { pyRepr, pyStr } from '../template/python/index.js';
import { PyDict } from '../template/values.js';
import { prepareRun, type ApplyOptions } from './run_playbooks.js';

/** `--syntax-check`, `--list-tasks`, `--list-tags`, `--list-hosts`: load and validate, touch no host. */
export function listingText(options: ApplyOptions, flags: { listTasks?: boolean; listTags?: boolean; listHosts?: boolean }, events: RunEvents): string {
  const { loaded, extraVars, playbooks } = prepareRun(options, events);
  const selection = { tags: options.tags, skipTags: options.skipTags, extraVars };
  let text = '';
  for (const [index, playbook] of playbooks.entries()) {
    const shownAs = options.playbooks[index] ?? playbook.file;
    if (flags.listTasks) text += listTasksText(playbook, { ...selection, shownAs });
    else if (flags.listTags) text += listTagsText(playbook, { ...selection, shownAs });
    else if (flags.listHosts) {
      text += syntaxCheckText(playbook, { shownAs });
      const selector = new HostSelector(loaded.inventory, (message) => events.warning(message));
      selector.setLimit(options.limit);
      playbook.plays.forEach((play, number) => {
        const templar = new Templar({ vars: new PyDict([...play.vars, ...extraVars]) });
        const pattern = templar.template(play.hosts);
        const patterns = (Array.isArray(pattern) ? pattern : [pattern]).map((value) => pyStr(value));
        const hosts = selector.getHosts(patterns).map((host) => host.name);
        const name = play.name === null ? patterns.join(',') : pyStr(templar.template(play.name));
        text += `\n  play #${number + 1} (${patterns.join(',')}): ${name}\tTAGS: []\n    pattern: ${pyRepr(patterns)}\n    hosts (${hosts.length}):\n`;
        text += hosts.map((host) => `      ${host}\n`).join('');
      });
    } else text += syntaxCheckText(playbook, { shownAs });
  }
  return text;
}
