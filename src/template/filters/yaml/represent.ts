import { TemplateError } from '../../../errors.js';
import { resolvePlainScalar } from '../../../yaml/scalars.js';
import { pyCompare } from '../../python/compare.js';
import { floatRepr, intRepr } from '../../python/floatfmt.js';
import { pyRepr } from '../../python/repr.js';
import { isInt, PyNamedTuple } from '../../python/types.js';
import { PyDate } from '../../python/dates.js';
import { PyDatetime } from '../../runtime/datetime.js';
import { undefinedError } from '../../python/undefined.js';
import { PyDict, PyFloat, PyTuple, PyUndefined, PyUnsafe, PyVault, type PyKey, type PyValue } from '../../values.js';
import type { YamlNode, YamlScalar } from './nodes.js';
import { hasYamlBreak, mungeForLossyYaml } from './lossy.js';

// Implicit resolvers of PyYAML's SafeDumper beyond the ones src/yaml/scalars.ts reads with
// (yaml/resolver.py): a str that would read back as a date, merge key or `=` gets quoted.
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** Whether PyYAML would read `text`, written plain, back as a str. */
function readsBackAsStr(text: string): boolean {
  return typeof resolvePlainScalar(text) === 'string' && !TIMESTAMP.test(text) && text !== '<<' && text !== '=';
}

const plainScalar = (value: string): YamlScalar => ({ kind: 'scalar', value, plainImplicit: true, quotedImplicit: false });

/** yaml's SafeRepresenter.represent_float: `.nan`, `.inf`, and `1e17` written `1.0e+17`. */
function floatText(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (x === Infinity) return '.inf';
  if (x === -Infinity) return '-.inf';
  const text = floatRepr(x).toLowerCase();
  return !text.includes('.') && text.includes('e') ? text.replace('e', '.0e') : text;
}

export interface RepresentOptions {
  /** PyYAML's `default_flow_style`: null lets collections of scalars go inline. */
  defaultFlowStyle: boolean | null;
  sortKeys: boolean;
  /**
   * The callbacks' _AnsibleCallbackDumper (_pretty_represent_str): a str with a line break is
   * asked for as a literal block, made fit for one first when `lossy` (pretty results).
   */
  multilineLiteral?: { lossy: boolean };
}

/** Keys in PyYAML's order: `sorted(mapping.items())`, left as they are if they cannot be ordered. */
function orderedPairs(dict: PyDict, sortKeys: boolean): Array<[PyKey, PyValue]> {
  const pairs = [...dict];
  if (!sortKeys) return pairs;
  try {
    return [...pairs].sort((a, b) => pyCompare(new PyTuple([a[0], a[1]]), new PyTuple([b[0], b[1]])));
  } catch (error) {
    if (error instanceof TemplateError) return pairs;
    throw error;
  }
}

/**
 * Builds the node graph yaml.SafeRepresenter (with AnsibleDumper's additions) builds: one
 * node per container object, so a list or dict reached twice becomes an anchor and alias.
 */
export function representYaml(value: PyValue, options: RepresentOptions): YamlNode {
  const represented = new Map<object, YamlNode>();
  const isBestStyle = (node: YamlNode): boolean => node.kind === 'scalar' && !node.literal;

  const represent = (v: PyValue): YamlNode => {
    if (v === null) return plainScalar('null');
    if (typeof v === 'boolean') return plainScalar(v ? 'true' : 'false');
    if (isInt(v)) return plainScalar(intRepr(v));
    if (v instanceof PyFloat) return plainScalar(floatText(v.value));
    if (typeof v === 'string' || v instanceof PyUnsafe) {
      const text = typeof v === 'string' ? v : v.value;
      if (options.multilineLiteral && hasYamlBreak(text)) {
        const shown = options.multilineLiteral.lossy ? mungeForLossyYaml(text) : text;
        return { kind: 'scalar', value: shown, plainImplicit: readsBackAsStr(shown), quotedImplicit: true, literal: true };
      }
      return { kind: 'scalar', value: text, plainImplicit: readsBackAsStr(text), quotedImplicit: true };
    }
    if (v instanceof PyVault) {
      return { kind: 'scalar', value: v.ciphertext, plainImplicit: false, quotedImplicit: false, tag: '!vault', literal: true };
    }
    if (v instanceof PyUndefined) throw undefinedError(v);
    // SafeRepresenter.represent_datetime: `isoformat(' ')`, read back as a timestamp.
    if (v instanceof PyDatetime) return plainScalar(v.isoformat(' '));
    if (v instanceof PyDate) return plainScalar(v.isoformat());
    // Only exact tuples are representable; Jinja2's _GroupTuple is a subclass.
    if (v instanceof PyNamedTuple) throw new TemplateError(`('cannot represent an object', ${pyRepr(v)})`);
    if (Array.isArray(v) || v instanceof PyTuple) {
      // SafeRepresenter.ignore_aliases: only the empty tuple is never aliased.
      const aliasable = Array.isArray(v) || v.items.length > 0;
      const seen = aliasable ? represented.get(v) : undefined;
      if (seen) return seen;
      const node: YamlNode = { kind: 'sequence', items: [], flow: false };
      if (aliasable) represented.set(v, node);
      node.items = (Array.isArray(v) ? v : v.items).map(represent);
      node.flow = options.defaultFlowStyle ?? node.items.every(isBestStyle);
      return node;
    }
    if (v instanceof PyDict) {
      const seen = represented.get(v);
      if (seen) return seen;
      const node: YamlNode = { kind: 'mapping', pairs: [], flow: false };
      represented.set(v, node);
      node.pairs = orderedPairs(v, options.sortKeys).map(([k, x]) => [represent(k), represent(x)]);
      node.flow = options.defaultFlowStyle ?? node.pairs.every(([k, x]) => isBestStyle(k) && isBestStyle(x));
      return node;
    }
    throw new TemplateError(`('cannot represent an object', ${pyRepr(v)})`);
  };
  return represent(value);
}
