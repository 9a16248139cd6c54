import { isAlias, isMap, isSeq, type Document, type Node } from 'yaml';

/**
 * Bounds on what a YAML file may make fleet do. PyYAML has none of its own: Python's
 * recursion limit stops deep nesting (with a RecursionError), and an alias bomb ("billion
 * laughs") loads as shared objects that every later walk (templating, JSON) expands.
 * Real inventories, playbooks and vars files stay far below both bounds.
 */
export const MAX_YAML_NESTING = 200;
export const MAX_ALIAS_EXPANSION = 1_000_000;

/** Where the text nests deeper than MAX_YAML_NESTING (flow brackets plus block indentation), if it does. */
export function excessiveNesting(text: string): { line: number; col: number } | undefined {
  const indents: number[] = [];
  let flow = 0;
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const content = /^( *)((?:- +)*)(.*)$/s.exec(line) as RegExpExecArray; // always matches: every part may be empty
    const body = content[3] ?? '';
    if (flow === 0 && body.trim() !== '' && !body.startsWith('#')) {
      const indent = (content[1] ?? '').length;
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
      for (let dash = 0; dash < (content[2] ?? '').split('-').length - 1; dash += 1) indents.push(indent + 1 + dash);
    }
    let quote = '';
    for (let col = 0; col < line.length; col += 1) {
      const ch = line[col] as string;
      if (quote) {
        if (ch === quote && !(quote === '"' && line[col - 1] === '\\')) quote = '';
        continue;
      }
      const afterSpace = col === 0 || /[\s[{,:]/.test(line[col - 1] as string);
      if (ch === '#' && afterSpace) break;
      if ((ch === '"' || ch === "'") && afterSpace) quote = ch;
      else if (ch === '[' || ch === '{') {
        flow += 1;
        if (flow + indents.length > MAX_YAML_NESTING) return { line: index + 1, col: col + 1 };
      } else if ((ch === ']' || ch === '}') && flow > 0) flow -= 1;
    }
    if (indents.length > MAX_YAML_NESTING) return { line: index + 1, col: (content[1] ?? '').length + 1 };
  }
  return undefined;
}

/**
 * The first alias at which the values the document's aliases stand for, counted as
 * expanded copies, pass MAX_ALIAS_EXPANSION; undefined when they never do.
 */
export function excessiveAlias(doc: Document.Parsed): Node | undefined {
  const sizes = new Map<Node, number>();
  const size = (node: Node | null | undefined): number => {
    if (!node) return 1;
    if (isAlias(node)) return size(node.resolve(doc));
    const known = sizes.get(node);
    if (known !== undefined) return known;
    sizes.set(node, 1); // an alias inside its own anchor counts once
    let total = 1;
    if (isMap(node)) for (const pair of node.items) total += size(pair.key as Node | null) + size(pair.value as Node | null);
    else if (isSeq(node)) for (const item of node.items) total += size(item as Node | null);
    sizes.set(node, total);
    return total;
  };
  let expanded = 0;
  const walk = (node: Node | null | undefined): Node | undefined => {
    if (!node) return undefined;
    if (isAlias(node)) {
      expanded += size(node);
      return expanded > MAX_ALIAS_EXPANSION ? node : undefined;
    }
    const children = isMap(node) ? node.items.flatMap((pair) => [pair.key as Node | null, pair.value as Node | null]) : isSeq(node) ? (node.items as Node[]) : [];
    for (const child of children) {
      const found = walk(child);
      if (found) return found;
    }
    return undefined;
  };
  return walk(doc.contents as Node | null);
}
