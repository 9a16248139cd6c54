/** The node graph PyYAML's representer builds and its serializer walks (yaml/nodes.py). */
export interface YamlScalar {
  kind: 'scalar';
  value: string;
  /** Read back as its own type when written plain (`5` for an int, `abc` for a str). */
  plainImplicit: boolean;
  /** Read back as its own type when written quoted (true for every str). */
  quotedImplicit: boolean;
  /** An explicit tag to write when neither implicit form holds (`!vault`). */
  tag?: string;
  literal?: boolean;
}

export interface YamlSequence {
  kind: 'sequence';
  items: YamlNode[];
  flow: boolean;
}

export interface YamlMapping {
  kind: 'mapping';
  pairs: Array<[YamlNode, YamlNode]>;
  flow: boolean;
}

export type YamlNode = YamlScalar | YamlSequence | YamlMapping;

/**
 * The serializer's anchor pass: a node reached a second time gets the next `id001`-style
 * anchor, numbered in the order those second visits happen (yaml/serializer.py anchor_node).
 */
export function assignAnchors(root: YamlNode): Map<YamlNode, string> {
  const seen = new Set<YamlNode>();
  const anchors = new Map<YamlNode, string>();
  const visit = (node: YamlNode): void => {
    if (seen.has(node)) {
      if (!anchors.has(node)) anchors.set(node, `id${String(anchors.size + 1).padStart(3, '0')}`);
      return;
    }
    seen.add(node);
    if (node.kind === 'sequence') node.items.forEach(visit);
    else if (node.kind === 'mapping') {
      for (const [key, value] of node.pairs) {
        visit(key);
        visit(value);
      }
    }
  };
  visit(root);
  return anchors;
}
