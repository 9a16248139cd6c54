import { analyzeScalar, isBreak, isPrintable, type ScalarAnalysis } from './analysis.js';
import { assignAnchors, type YamlMapping, type YamlNode, type YamlScalar, type YamlSequence } from './nodes.js';

export interface EmitOptions {
  indent: number;
  width: number;
  explicitStart?: boolean;
  explicitEnd?: boolean;
}

interface Context {
  root?: boolean;
  mapping?: boolean;
  simpleKey?: boolean;
}

type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

const DOUBLE_QUOTED_ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

/**
 * Writes one YAML document the way libyaml 0.2.5's emitter does (src/emitter.c), with the
 * settings PyYAML's `yaml.dump` gives it: unicode allowed, document start and end implicit
 * unless `explicit_start`/`explicit_end` ask for them.
 * The event state machine is unrolled into recursion over the node graph; the writer
 * state (column, whitespace, indention, the indent stack) follows libyaml's exactly, since
 * line folding and indentation depend on it.
 */
class Emitter {
  private out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private flowLevel = 0;
  /** A literal block ended with a kept trailing break: the document needs an explicit end. */
  private openEnded = false;
  private readonly bestIndent: number;
  private readonly bestWidth: number;
  private readonly anchors: Map<YamlNode, string>;
  private readonly emitted = new Set<YamlNode>();
  private readonly explicitStart: boolean;
  private readonly explicitEnd: boolean;

  constructor(root: YamlNode, options: EmitOptions) {
    this.explicitStart = options.explicitStart ?? false;
    this.explicitEnd = options.explicitEnd ?? false;
    this.bestIndent = options.indent < 2 || options.indent > 9 ? 2 : options.indent;
    let width = options.width;
    if (width >= 0 && width <= this.bestIndent * 2) width = 80;
    this.bestWidth = width < 0 ? Number.MAX_SAFE_INTEGER : width;
    this.anchors = assignAnchors(root);
  }

  document(root: YamlNode): string {
    if (this.explicitStart) {
      this.writeIndent();
      this.writeIndicator('---', true);
    }
    this.node(root, { root: true });
    this.writeIndent();
    if (this.explicitEnd) {
      this.writeIndicator('...', true);
      this.writeIndent();
      this.openEnded = false;
    }
    if (this.openEnded) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    return this.out;
  }

  private put(text: string): void {
    this.out += text;
    this.column += Array.from(text).length;
  }

  private putBreak(): void {
    this.out += '\n';
    this.column = 0;
  }

  private writeBreakChar(ch: string): void {
    this.out += ch;
    this.column = 0;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() ?? -1;
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace = false, isIndention = false): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    this.put(indicator);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private node(node: YamlNode, ctx: Context): void {
    const anchor = this.anchors.get(node);
    if (this.emitted.has(node)) {
      this.writeIndicator(`*${anchor ?? ''}`, true);
      this.whitespace = this.indention = false;
      if (ctx.simpleKey) this.put(' ');
      return;
    }
    this.emitted.add(node);
    if (node.kind === 'scalar') return this.scalar(node, anchor, ctx);
    if (anchor) this.writeAnchor(anchor);
    const empty = node.kind === 'sequence' ? node.items.length === 0 : node.pairs.length === 0;
    const flow = this.flowLevel > 0 || node.flow || empty;
    if (node.kind === 'sequence') {
      if (flow) this.flowSequence(node);
      else this.blockSequence(node, ctx);
    } else if (flow) this.flowMapping(node);
    else this.blockMapping(node);
  }

  private writeAnchor(anchor: string): void {
    this.writeIndicator(`&${anchor}`, true);
    this.whitespace = this.indention = false;
  }

  private flowSequence(node: YamlSequence): void {
    this.writeIndicator('[', true, true);
    this.increaseIndent(true, false);
    this.flowLevel++;
    node.items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, {});
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator(']', false);
  }

  private flowMapping(node: YamlMapping): void {
    this.writeIndicator('{', true, true);
    this.increaseIndent(true, false);
    this.flowLevel++;
    node.pairs.forEach(([key, value], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.isSimpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.node(key, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.node(value, { mapping: true });
    });
    this.flowLevel--;
    this.popIndent();
    this.writeIndicator('}', false);
  }

  private blockSequence(node: YamlSequence, ctx: Context): void {
    this.increaseIndent(false, Boolean(ctx.mapping) && !this.indention);
    for (const item of node.items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, {});
    }
    this.popIndent();
  }

  private blockMapping(node: YamlMapping): void {
    this.increaseIndent(false, false);
    for (const [key, value] of node.pairs) {
      this.writeIndent();
      if (this.isSimpleKey(key)) {
        this.node(key, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(key, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(value, { mapping: true });
    }
    this.popIndent();
  }

  /** yaml_emitter_check_simple_key. */
  private isSimpleKey(node: YamlNode): boolean {
    const anchor = this.anchors.get(node);
    let length = anchor ? anchor.length : 0;
    if (this.emitted.has(node)) return length <= 128;
    if (node.kind === 'scalar') {
      const analysis = analyzeScalar(node.value);
      if (analysis.multiline) return false;
      length += analysis.byteLength + (needsTag(node) ? (node.tag ?? '').length : 0);
    } else if (node.kind === 'sequence' ? node.items.length > 0 : node.pairs.length > 0) return false;
    return length <= 128;
  }

  private scalar(node: YamlScalar, anchor: string | undefined, ctx: Context): void {
    const analysis = analyzeScalar(node.value);
    const style = this.chooseStyle(node, analysis, ctx);
    if (anchor) this.writeAnchor(anchor);
    // A plain-only scalar (a timestamp) that has to be quoted gets the non-specific tag `!`.
    const tag = needsTag(node) ? node.tag : !node.quotedImplicit && style !== 'plain' ? '!' : undefined;
    if (tag) {
      if (!this.whitespace) this.put(' ');
      this.put(tag);
      this.whitespace = this.indention = false;
    }
    this.increaseIndent(true, false);
    const allowBreaks = !ctx.simpleKey;
    if (style === 'plain') this.writePlain(analysis.chars, allowBreaks);
    else if (style === 'single') this.writeSingleQuoted(analysis.chars, allowBreaks);
    else if (style === 'double') this.writeDoubleQuoted(analysis.chars, allowBreaks);
    else this.writeLiteral(analysis.chars);
    this.popIndent();
  }

  /** yaml_emitter_select_scalar_style. */
  private chooseStyle(node: YamlScalar, analysis: ScalarAnalysis, ctx: Context): ScalarStyle {
    const noTag = !needsTag(node);
    let style: ScalarStyle = node.literal ? 'literal' : 'plain';
    if (ctx.simpleKey && analysis.multiline) style = 'double';
    if (style === 'plain') {
      const inFlow = this.flowLevel > 0;
      if ((inFlow && !analysis.flowPlainAllowed) || (!inFlow && !analysis.blockPlainAllowed)) style = 'single';
      if (analysis.chars.length === 0 && (inFlow || ctx.simpleKey)) style = 'single';
      if (noTag && !node.plainImplicit) style = 'single';
    }
    if (style === 'single' && !analysis.singleQuotedAllowed) style = 'double';
    if (style === 'literal' && (!analysis.blockAllowed || this.flowLevel > 0 || ctx.simpleKey)) style = 'double';
    return style;
  }

  private writePlain(chars: string[], allowBreaks: boolean): void {
    if (!this.whitespace && chars.length > 0) this.put(' ');
    let spaces = false;
    let breaks = false;
    chars.forEach((ch, i) => {
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreakChar(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        spaces = breaks = false;
      }
    });
    this.whitespace = this.indention = false;
  }

  private writeSingleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    chars.forEach((ch, i) => {
      if (ch === ' ') {
        const inside = i !== 0 && i !== chars.length - 1;
        if (allowBreaks && !spaces && this.column > this.bestWidth && inside && chars[i + 1] !== ' ') this.writeIndent();
        else this.put(ch);
        spaces = true;
      } else if (isBreak(ch)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreakChar(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (ch === "'") this.put("'");
        this.put(ch);
        this.indention = false;
        spaces = breaks = false;
      }
    });
    if (breaks) this.writeIndent();
    this.writeIndicator("'", false);
    this.whitespace = this.indention = false;
  }

  private writeDoubleQuoted(chars: string[], allowBreaks: boolean): void {
    this.writeIndicator('"', true);
    let spaces = false;
    chars.forEach((ch, i) => {
      if (!isPrintable(ch) || ch === '\ufeff' || isBreak(ch) || ch === '"' || ch === '\\') {
        this.put(`\\${escapeForDoubleQuotes(ch)}`);
        spaces = false;
      } else if (ch === ' ') {
        const inside = i !== 0 && i !== chars.length - 1;
        if (allowBreaks && !spaces && this.column > this.bestWidth && inside) {
          this.writeIndent();
          if (chars[i + 1] === ' ') this.put('\\');
        } else this.put(ch);
        spaces = true;
      } else {
        this.put(ch);
        spaces = false;
      }
    });
    this.writeIndicator('"', false);
    this.whitespace = this.indention = false;
  }

  private writeLiteral(chars: string[]): void {
    this.writeIndicator('|', true);
    if (chars[0] === ' ' || isBreak(chars[0])) this.writeIndicator(String(this.bestIndent), false);
    const last = chars[chars.length - 1];
    this.openEnded = false;
    if (chars.length === 0 || !isBreak(last)) this.writeIndicator('-', false);
    else if (chars.length === 1 || isBreak(chars[chars.length - 2])) {
      this.writeIndicator('+', false);
      this.openEnded = true;
    }
    this.putBreak();
    this.indention = this.whitespace = true;
    let breaks = true;
    for (const ch of chars) {
      if (isBreak(ch)) {
        this.writeBreakChar(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.put(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }
}

/** A scalar gets its tag written only when neither plain nor quoted text implies it. */
const needsTag = (node: YamlScalar): boolean => !node.plainImplicit && !node.quotedImplicit;

function escapeForDoubleQuotes(ch: string): string {
  const named = DOUBLE_QUOTED_ESCAPES[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase();
  if (code <= 0xff) return `x${hex.padStart(2, '0')}`;
  if (code <= 0xffff) return `u${hex.padStart(4, '0')}`;
  return `U${hex.padStart(8, '0')}`;
}

export function emitYamlDocument(root: YamlNode, options: EmitOptions): string {
  return new Emitter(root, options).document(root);
}
