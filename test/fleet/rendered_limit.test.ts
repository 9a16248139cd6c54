import { afterAll, describe, expect, it } from 'vitest';
import { renderedTemplates } from '../../src/fleet/rendered_templates.js';
import { copyOfContent, removeCopies, runInput } from './content.js';

afterAll(() => removeCopies());

describe('the pre-flight template rendering', () => {
  it('renders for the hosts --limit leaves, not the whole inventory', () => {
    const root = copyOfContent();
    const input = runInput(root, 'inventory/hosts.yml', 'playbooks/site.yml');
    const everyHost = new Set(renderedTemplates(input).rendered.map((each) => each.host));
    expect(everyHost.size).toBeGreaterThan(1);
    const [one] = [...everyHost];
    const limited = new Set(renderedTemplates({ ...input, limit: one }).rendered.map((each) => each.host));
    expect([...limited]).toEqual([one]);
  });
});
