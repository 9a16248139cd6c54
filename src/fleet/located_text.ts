import type { SourceLocation } from '../errors.js';
import { PyDict, PyTuple, PyUnsafe, type PyValue } from '../template/values.js';
import { itemPositionOf, keyPositionOf, positionOf, valuePositionOf } from '../yaml/load.js';

/** A string found in loaded data, with where it was written and the path that leads to it. */
export interface LocatedText {
  text: string;
  location: SourceLocation;
  /** `provider_chain[1].model`, for messages. */
  path: string;
  /** `!unsafe` text, which is never templated. */
  unsafe?: true;
}

/**
 * Every string key and value in a loaded YAML value, each with the most precise location
 * the loader kept (the value's own, else its parent's, else `fallback`).
 */
export function locatedTexts(value: PyValue, fallback: SourceLocation, path = ''): LocatedText[] {
  const out: LocatedText[] = [];
  const visit = (node: PyValue, at: SourceLocation, where: string): void => {
    if (typeof node === 'string') out.push({ text: node, location: at, path: where });
    else if (node instanceof PyUnsafe) out.push({ text: node.value, location: at, path: where, unsafe: true });
    else if (node instanceof PyDict) {
      for (const [key, inner] of node) {
        const keyText = String(key);
        const innerPath = where ? `${where}.${keyText}` : keyText;
        if (typeof key === 'string') out.push({ text: key, location: keyPositionOf(node, key) ?? at, path: innerPath });
        visit(inner, valuePositionOf(node, key) ?? positionOf(inner) ?? at, innerPath);
      }
    } else if (Array.isArray(node) || node instanceof PyTuple) {
      const items = Array.isArray(node) ? node : node.items;
      items.forEach((item, index) => visit(item, (Array.isArray(node) ? itemPositionOf(node, index) : undefined) ?? positionOf(item) ?? at, `${where}[${index}]`));
    }
  };
  visit(value, positionOf(value) ?? fallback, path);
  return out;
}

/** Location of the node a zod-style path (keys and indexes) leads to in loaded data. */
export function locationOfPath(root: PyValue, path: readonly PropertyKey[], fallback: SourceLocation): SourceLocation {
  let node: PyValue | undefined = root;
  let at = positionOf(root) ?? fallback;
  for (const step of path) {
    if (node instanceof PyDict && typeof step === 'string') {
      at = valuePositionOf(node, step) ?? at;
      node = node.get(step);
    } else if (Array.isArray(node) && typeof step === 'number') {
      at = itemPositionOf(node, step) ?? at;
      node = node[step];
    } else break;
  }
  return at;
}

/** A zod-style path as `provider_chain[1].model`, for messages. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, step) => (typeof step === 'number' ? `${text}[${step}]` : text ? `${text}.${String(step)}` : String(step)), '') || '(root)';
}
