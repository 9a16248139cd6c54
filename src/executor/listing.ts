import { HostSelector } from '../inventory/index.js';
import type { RunEvents } from '../output/events.js';
import { listingText as playbookListing, syntaxCheckText } from '../playbook/listing.js';
import type { Play } from '../playbook/model.js';
import { Templar } from '../template/index.js';
import { pyStr } from '../template/python/index.js';
import { PyDict, type PyValue } from '../template/values.js';
import { openRunFactStore, prepareRun, type ApplyOptions } from './run_playbooks.js';

export interface ListingFlags {
  listTasks?: boolean;
  listTags?: boolean;
  listHosts?: boolean;
}

/**
 * `--syntax-check`, `--list-tasks`, `--list-tags`, `--list-hosts` (any combination): load and
 * validate, touch no host (a --flush-cache still flushes, as ansible-playbook's does).
 */
export async function listingText(options: ApplyOptions, flags: ListingFlags, events: RunEvents): Promise<string> {
  const { loaded, extraVars, playbooks } = prepareRun(options, events);
  const selector = new HostSelector(loaded.inventory, (message) => events.warning(message), options.hostPatternMismatch);
  await openRunFactStore(options, selector, events).settle();
  selector.setLimit(options.limit);
  const render = (value: PyValue, play: Play) => new Templar({ vars: new PyDict([...play.vars, ...extraVars]) }).template(value);
  const hostsOf = (patterns: string[], play: Play) => {
    const order = play.keywords.get('order');
    return selector.getHosts(patterns, order === undefined || order === null ? undefined : pyStr(render(order, play))).map((host) => host.name);
  };
  const show = { tasks: flags.listTasks === true, tags: flags.listTags === true, hosts: flags.listHosts === true };
  return playbooks
    .map((playbook, index) => {
      const listing = { tags: options.tags, skipTags: options.skipTags, extraVars, shownAs: options.playbooks[index] ?? playbook.file, render, hostsOf };
      return show.tasks || show.tags || show.hosts ? playbookListing(playbook, show, listing) : syntaxCheckText(playbook, listing);
    })
    .join('');
}
