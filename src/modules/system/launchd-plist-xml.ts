import { PlistDate, PlistError, PlistReal, type PlistDict, type PlistValue } from './launchd-plist.js';
import { strRepr } from '../../template/python/repr.js';

/**
 * plistlib's XML reader (_PlistParser over expat), for UTF-8 documents: the same element
 * handlers, so odd but well-formed files load as plistlib loads them. Malformed XML fails
 * with fleet's own message, not expat's.
 */
export function parseXmlPlist(bytes: Buffer): PlistValue {
  const text = bytes.toString('utf8').replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
  const parser = new PlistBuilder();
  new XmlScanner(text, parser).scan();
  if (parser.root === undefined) throw new PlistError('fleet: no plist value found in the XML document');
  return parser.root;
}

interface XmlHandler {
  begin(name: string, line: number): void;
  end(name: string, line: number): void;
  data(text: string): void;
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Just enough of an XML tokenizer for plists: declarations, comments, CDATA, elements, text. */
class XmlScanner {
  private at = 0;
  private readonly open: string[] = [];

  constructor(
    private readonly text: string,
    private readonly handler: XmlHandler,
  ) {}

  private line(): number {
    let count = 1;
    for (let i = this.text.indexOf('\n'); i >= 0 && i < this.at; i = this.text.indexOf('\n', i + 1)) count++;
    return count;
  }

  private fail(what: string): never {
    throw new PlistError(`fleet: malformed plist XML (${what}) at line ${this.line()}`);
  }

  private skipPast(marker: string): string {
    const end = this.text.indexOf(marker, this.at);
    if (end < 0) this.fail(`no closing ${marker}`);
    const skipped = this.text.slice(this.at, end);
    this.at = end + marker.length;
    return skipped;
  }

  scan(): void {
    while (this.at < this.text.length) {
      const lt = this.text.indexOf('<', this.at);
      const textEnd = lt < 0 ? this.text.length : lt;
      if (textEnd > this.at) this.text_(this.text.slice(this.at, textEnd));
      this.at = textEnd;
      if (lt < 0) break;
      if (this.text.startsWith('<?', lt)) this.skipPast('?>');
      else if (this.text.startsWith('<!--', lt)) this.skipPast('-->');
      else if (this.text.startsWith('<![CDATA[', lt)) {
        this.at += 9;
        const cdata = this.skipPast(']]>');
        if (this.open.length > 0) this.handler.data(cdata);
      } else if (this.text.startsWith('<!DOCTYPE', lt)) this.doctype();
      else this.tag();
    }
    if (this.open.length > 0) this.fail(`<${this.open[this.open.length - 1] ?? ''}> is not closed`);
  }

  private doctype(): void {
    const bracket = this.text.indexOf('[', this.at);
    const close = this.text.indexOf('>', this.at);
    if (bracket >= 0 && (close < 0 || bracket < close)) {
      const subset = this.text.slice(bracket, this.text.indexOf(']', bracket));
      // plistlib's handle_entity_decl refuses these (XML vulnerabilities in expat).
      if (subset.includes('<!ENTITY')) throw new PlistError('XML entity declarations are not supported in plist files');
      this.at = this.text.indexOf(']', bracket) + 1;
    }
    this.skipPast('>');
  }

  private tag(): void {
    const line = this.line();
    const match = /^<(\/?)([A-Za-z_:][-A-Za-z0-9_:.]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(this.text.slice(this.at, this.at + 4096));
    if (!match) this.fail('invalid tag');
    const [whole, closing, name, , selfClosing] = match as unknown as [string, string, string, string, string];
    this.at += whole.length;
    if (closing) {
      if (this.open.pop() !== name) this.fail(`mismatched </${name}>`);
      this.handler.end(name, line);
      return;
    }
    this.handler.begin(name, line);
    if (selfClosing) this.handler.end(name, line);
    else this.open.push(name);
  }

  private text_(raw: string): void {
    const control = CONTROL_CHAR.exec(raw);
    if (control) {
      const before = this.text.slice(0, this.at + control.index);
      throw new PlistError(`not well-formed (invalid token): line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n') - 1}`);
    }
    if (this.open.length === 0) {
      if (raw.trim()) this.fail('text outside the root element');
      return;
    }
    this.handler.data(
      raw.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z]+);|&/g, (_all, ref: string | undefined) => {
        if (ref === undefined) this.fail('bare &');
        if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
        if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
        const entity = ENTITIES[ref];
        if (entity === undefined) this.fail(`undefined entity &${ref};`);
        return entity;
      }),
    );
  }
}

const DATE = /^(\d\d\d\d)(?:-(\d\d)(?:-(\d\d)(?:T(\d\d)(?::(\d\d)(?::(\d\d))?)?)?)?)?Z/;
const INT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const HEX_INT = /^0[xX](?:_?[0-9A-Fa-f])+\s*$/;
const FLOAT = /^\s*[+-]?(?:(?:\d(?:_?\d)*)?\.?\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.|inf|infinity|nan)\s*$/i;

/** plistlib._PlistParser's handlers: the data since the last start tag is an element's text. */
class PlistBuilder implements XmlHandler {
  root: PlistValue | undefined;
  private readonly stack: (PlistDict | PlistValue[])[] = [];
  private currentKey: string | null = null;
  private chunks: string[] = [];

  data(text: string): void {
    this.chunks.push(text);
  }

  private takeData(): string {
    const text = this.chunks.join('');
    this.chunks = [];
    return text;
  }

  private add(value: PlistValue, line: number): void {
    const top = this.stack[this.stack.length - 1];
    if (this.currentKey !== null) {
      if (!(top instanceof Map)) throw new PlistError(`unexpected element at line ${line}`);
      top.set(this.currentKey, value);
      this.currentKey = null;
    } else if (top === undefined) {
      this.root = value;
    } else {
      if (!Array.isArray(top)) throw new PlistError(`unexpected element at line ${line}`);
      top.push(value);
    }
  }

  begin(name: string, line: number): void {
    this.chunks = [];
    if (name === 'dict' || name === 'array') {
      const container: PlistDict | PlistValue[] = name === 'dict' ? new Map() : [];
      this.add(container, line);
      this.stack.push(container);
    }
  }

  end(name: string, line: number): void {
    switch (name) {
      case 'dict':
        // `if self.current_key:` — an empty key is falsy there too.
        if (this.currentKey) throw new PlistError(`missing value for key '${this.currentKey}' at line ${line}`);
        this.stack.pop();
        return;
      case 'array':
        this.stack.pop();
        return;
      case 'key': {
        const top = this.stack[this.stack.length - 1];
        if (top === undefined) throw new PlistError('list index out of range');
        if (this.currentKey || !(top instanceof Map)) throw new PlistError(`unexpected key at line ${line}`);
        this.currentKey = this.takeData();
        return;
      }
      case 'true':
      case 'false':
        this.add(name === 'true', line);
        return;
      case 'integer':
        this.add(parseInteger(this.takeData()), line);
        return;
      case 'real':
        this.add(parseReal(this.takeData()), line);
        return;
      case 'string':
        this.add(this.takeData(), line);
        return;
      case 'data':
        this.add(new Uint8Array(Buffer.from(this.takeData(), 'base64')), line);
        return;
      case 'date':
        this.add(parseDate(this.takeData()), line);
    }
  }
}

function parseInteger(raw: string): bigint {
  if (raw.startsWith('0x') || raw.startsWith('0X')) {
    if (!HEX_INT.test(raw)) throw new PlistError(`invalid literal for int() with base 16: ${strRepr(raw)}`);
    return BigInt(`0x${raw.slice(2).trim().replaceAll('_', '')}`);
  }
  if (!INT.test(raw)) throw new PlistError(`invalid literal for int() with base 10: ${strRepr(raw)}`);
  return BigInt(raw.trim().replaceAll('_', ''));
}

function parseReal(raw: string): PlistReal {
  if (!FLOAT.test(raw)) throw new PlistError(`could not convert string to float: ${strRepr(raw)}`);
  const cleaned = raw.trim().replaceAll('_', '').toLowerCase();
  const sign = cleaned.startsWith('-') ? -1 : 1;
  const unsigned = cleaned.replace(/^[+-]/, '');
  if (unsigned.startsWith('inf')) return new PlistReal(sign * Infinity);
  if (unsigned === 'nan') return new PlistReal(NaN);
  return new PlistReal(Number(cleaned));
}

function parseDate(raw: string): PlistDate {
  const match = DATE.exec(raw);
  if (!match) throw new PlistError("'NoneType' object has no attribute 'groupdict'");
  const fields: number[] = [];
  for (const part of match.slice(1)) {
    if (part === undefined) break;
    fields.push(Number(part));
  }
  // datetime(*fields) needs year, month and day.
  if (fields.length < 3) throw new PlistError(`function missing required argument '${['month', 'day'][fields.length - 1] ?? 'day'}' (pos ${fields.length + 1})`);
  const [year, month, day, hour = 0, minute = 0, second = 0] = fields as [number, number, number, number?, number?, number?];
  return new PlistDate(year, month, day, hour, minute, second);
}
