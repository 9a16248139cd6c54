import { readFileSync } from 'node:fs';
import {
  Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments as parseAllYamlDocuments,
  parseDocument,
  Scalar,
  type Document,
  type Node,
  type ParsedNode,
} from 'yaml';
import { ParserError, ValidationError, type SourceLocation } from '../errors.js';
import { dictSet, isInt, PyError } from '../template/python/index.js';
import { PyDict, PyFloat, PyUnsafe, PyVault, type PyKey, type PyValue } from '../template/values.js';
import { PyDate } from '../template/python/dates.js';
import { PyDatetime } from '../template/runtime/datetime.js';
import { excessiveAlias, excessiveNesting, MAX_ALIAS_EXPANSION, MAX_YAML_NESTING } from './limits.js';
import { resolvePlainScalar } from './scalars.js';
import { rememberSecretsIn, unvaultText, vaultValueDecrypter } from '../vault/context.js';
import { isVaulted } from '../vault/envelope.js';

/** Where a loaded mapping and each of its keys and values stood in the source. */
interface MappingPositions {
  at: SourceLocation;
  keys: Map<PyKey, SourceLocation>;
  values: Map<PyKey, SourceLocation>;
}

const mappingPositions = new WeakMap<object, MappingPositions>();
const sequencePositions = new WeakMap<object, SourceLocation[]>();
const sequenceStarts = new WeakMap<object, SourceLocation>();

/** Location of a loaded mapping or sequence (its first character), when it came from YAML. */
export function positionOf(value: unknown): SourceLocation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return mappingPositions.get(value)?.at ?? sequenceStarts.get(value);
}

/** Location of a key of a loaded mapping. */
export function keyPositionOf(mapping: PyDict, key: PyKey): SourceLocation | undefined {
  return mappingPositions.get(mapping)?.keys.get(key);
}

/** Location of the value under a key of a loaded mapping. */
export function valuePositionOf(mapping: PyDict, key: PyKey): SourceLocation | undefined {
  return mappingPositions.get(mapping)?.values.get(key);
}

/** Location of an item of a loaded sequence. */
export function itemPositionOf(sequence: PyValue[], index: number): SourceLocation | undefined {
  return sequencePositions.get(sequence)?.[index];
}

/** Copies the recorded positions of one mapping onto another (for derived copies). */
export function copyPositions(from: object, to: object): void {
  const positions = mappingPositions.get(from);
  if (positions) mappingPositions.set(to, positions);
}

export interface LoadedYaml {
  file: string;
  text: string;
  /** The documents of the file (most files hold one). */
  documents: PyValue[];
}

// Aliases share one converted value, as PyYAML shares one Python object; this bound only
// stops documents whose aliases would make the loader spin.
const MAX_ALIAS_RESOLUTIONS = 10_000;

/** Parses YAML text the way Ansible's loader (PyYAML SafeLoader, YAML 1.1) does. */
export function parseYaml(text: string, file: string): LoadedYaml {
  const deep = excessiveNesting(text);
  if (deep) {
    throw new ParserError(`YAML nested more than ${MAX_YAML_NESTING} levels deep`, { location: { file, ...deep }, sourceLine: text.split('\n')[deep.line - 1] });
  }
  const { docs, lineCounter } = parsedDocuments(text);
  const documents: PyValue[] = [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) {
      const [line, col] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [1, 1];
      throw new ParserError(`YAML syntax error: ${problemOf(error.message)}`, {
        location: { file, line, col },
        sourceLine: text.split('\n')[line - 1],
      });
    }
    const converter = new Converter(doc, file, text, lineCounter);
    const bomb = excessiveAlias(doc);
    if (bomb) converter.fail(bomb, `YAML aliases expand to more than ${MAX_ALIAS_EXPANSION} values (an alias bomb?)`);
    documents.push(converter.convertDocument(doc.contents as ParsedNode | null));
  }
  return { file, text, documents };
}

/** Reads and parses one YAML file; a missing file is a located ValidationError. */
export function loadYamlFile(file: string): LoadedYaml {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ValidationError(`cannot read YAML file: ${(cause as Error).message}`, {
      location: { file, line: 1, col: 1 },
      cause,
    });
  }
  if (!isVaulted(text)) return parseYaml(text, file);
  let loaded: LoadedYaml;
  try {
    loaded = parseYaml(unvaultText(text, file), file);
  } catch (error) {
    // A vaulted file's lines are secrets: its errors say where, not what (Ansible's show_content=False).
    if (error instanceof ParserError && error.sourceLine !== undefined) throw new ParserError(error.message, { location: error.location });
    throw error;
  }
  loaded.documents.forEach(rememberSecretsIn);
  return loaded;
}

/** The single document of a file (empty file → null), as Ansible's vars/playbook loaders read it. */
export function loadYamlValue(file: string): PyValue {
  const loaded = loadYamlFile(file);
  return loaded.documents[0] ?? null;
}

/**
 * The yaml package's documents for a text, parsed once per process: a run reads each playbook
 * and role file twice (the loader, then the fleet policy scan), and parsing is most of that
 * cost. Safe to share because the Converter only reads them and builds fresh values each time.
 */
const parsedTexts = new Map<string, { docs: Document.Parsed[]; lineCounter: LineCounter }>();
const MAX_PARSED_TEXTS = 256;

function parsedDocuments(text: string): { docs: Document.Parsed[]; lineCounter: LineCounter } {
  let parsed = parsedTexts.get(text);
  if (!parsed) {
    const lineCounter = new LineCounter();
    parsed = { docs: parseAllDocuments(text, lineCounter), lineCounter };
    if (parsedTexts.size >= MAX_PARSED_TEXTS) parsedTexts.delete(parsedTexts.keys().next().value as string);
    parsedTexts.set(text, parsed);
  }
  return parsed;
}

function parseAllDocuments(text: string, lineCounter: LineCounter): Document.Parsed[] {
  const docs: Document.Parsed[] = [];
  // `parseAllDocuments` returns an EmptyStream for blank input.
  const options = { version: '1.1' as const, uniqueKeys: false, lineCounter, prettyErrors: true, strict: false };
  const result = parseAllYamlDocuments(text, options);
  if (Array.isArray(result)) docs.push(...result);
  if (docs.length === 0) docs.push(parseDocument('', options));
  return docs;
}

/** The yaml package's problem without the ` at line L, column C:` it appends: the error's location says where. */
function problemOf(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

class Converter {
  private readonly seen = new Map<Node, PyValue>();
  private aliasResolutions = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly text: string,
    private readonly lineCounter: LineCounter,
  ) {}

  private location(node: Node | null | undefined): SourceLocation {
    const offset = node?.range?.[0] ?? 0;
    const pos = this.lineCounter.linePos(offset);
    return { file: this.file, line: pos.line, col: pos.col };
  }

  fail(node: Node, message: string): never {
    const at = this.location(node);
    throw new ParserError(message, { location: at, sourceLine: this.text.split('\n')[at.line - 1] });
  }

  /** The document's value; a chain of aliases too long for the stack is a located error, not a RangeError. */
  convertDocument(node: ParsedNode | null): PyValue {
    try {
      return this.convert(node);
    } catch (error) {
      if (error instanceof RangeError && node) this.fail(node, 'YAML aliases nest too deeply to load');
      throw error;
    }
  }

  private convert(node: ParsedNode | Node | null): PyValue {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.convertAlias(node);
    const cached = this.seen.get(node);
    if (cached !== undefined) return cached;
    if (isScalar(node)) return this.convertScalar(node);
    if (isMap(node)) {
      const out = new PyDict();
      this.seen.set(node, out);
      const positions: MappingPositions = { at: this.location(node), keys: new Map(), values: new Map() };
      mappingPositions.set(out, positions);
      // PyYAML puts merged keys first (later sources first), then the mapping's own keys.
      const merges: PyDict[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        if (isScalar(keyNode) && keyNode.type === 'PLAIN' && this.sourceOf(keyNode) === '<<') {
          merges.push(...this.mergeSources(pair.value as Node | null));
        }
      }
      for (const source of merges.reverse()) {
        for (const [k, v] of source) dictSet(out, k, v);
      }
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        if (isScalar(keyNode) && keyNode.type === 'PLAIN' && this.sourceOf(keyNode) === '<<') continue;
        let key = this.convert(keyNode);
        // fleet's dict keys are the scalars of values.ts; a timestamp key (a date to PyYAML) keeps its text.
        if ((key instanceof PyDate || key instanceof PyDatetime) && keyNode) key = this.sourceOf(keyNode);
        if (!isHashable(key)) this.fail(keyNode as Node, 'YAML mapping key must be a scalar');
        // Python dict keys: 1, 1.0 and True are one key (the first spelling stays, the last value wins).
        dictSet(out, key, this.convert(pair.value as Node | null));
        positions.keys.set(key, this.location(keyNode));
        positions.values.set(key, this.location((pair.value as Node | null) ?? keyNode));
      }
      return out;
    }
    if (isSeq(node)) {
      const out: PyValue[] = [];
      this.seen.set(node, out);
      sequenceStarts.set(out, this.location(node));
      const positions: SourceLocation[] = [];
      for (const item of node.items) {
        positions.push(this.location(item as Node));
        out.push(this.convert(item as Node));
      }
      sequencePositions.set(out, positions);
      return out;
    }
    return this.fail(node, 'unsupported YAML node');
  }

  private sourceOf(node: Node): string {
    const [start, end] = node.range ?? [0, 0];
    return this.text.slice(start, end);
  }

  private convertAlias(node: Alias): PyValue {
    this.aliasResolutions += 1;
    if (this.aliasResolutions > MAX_ALIAS_RESOLUTIONS) this.fail(node, 'too many YAML aliases');
    const target = node.resolve(this.doc);
    if (!target) this.fail(node, `unknown YAML alias *${node.source}`);
    return this.convert(target);
  }

  private mergeSources(node: Node | null): PyDict[] {
    const value = this.convert(node);
    const sources = Array.isArray(value) ? value : [value];
    return sources.map((source) => {
      if (!(source instanceof PyDict)) this.fail(node as Node, 'a YAML merge key (<<) needs a mapping or a list of mappings');
      return source;
    });
  }

  private convertScalar(node: Scalar): PyValue {
    const tag = node.tag;
    const raw = node.value;
    if (tag === '!vault' || tag === '!vault-encrypted') return new PyVault(String(raw), vaultValueDecrypter(this.location(node)));
    if (tag === '!unsafe') return new PyUnsafe(String(raw ?? ''));
    if (tag !== undefined && tag.startsWith('tag:yaml.org,2002:')) return this.convertTagged(node, tag.slice(18));
    if (tag !== undefined && tag !== '!') this.fail(node, `unknown YAML tag ${tag}`);
    if (node.type !== 'PLAIN' || tag === '!') return raw === null || raw === undefined ? '' : String(raw);
    const source = this.sourceOf(node);
    if (source.includes('\n')) return String(raw);
    return this.resolve(node, source);
  }

  /** A plain scalar's value; a timestamp naming an impossible date fails as PyYAML's constructor does. */
  private resolve(node: Scalar, text: string): PyValue {
    try {
      return resolvePlainScalar(text);
    } catch (error) {
      if (error instanceof PyError) this.fail(node, `cannot read ${JSON.stringify(text)} as a timestamp: ${error.message}`);
      throw error;
    }
  }

  private convertTagged(node: Scalar, name: string): PyValue {
    const text = String(node.value ?? '');
    switch (name) {
      case 'str':
        return text;
      case 'null':
        return null;
      case 'float': {
        const resolved = this.resolve(node, text);
        if (isInt(resolved)) return new PyFloat(Number(resolved));
        if (typeof resolved === 'boolean' || typeof resolved === 'string') this.fail(node, `cannot read ${JSON.stringify(text)} as !!float`);
        return resolved;
      }
      default: {
        const resolved = this.resolve(node, text);
        if (typeof resolved === 'string') this.fail(node, `cannot read ${JSON.stringify(text)} as !!${name}`);
        return resolved;
      }
    }
  }
}

function isHashable(value: PyValue): value is PyKey {
  return !(value instanceof PyDict) && !Array.isArray(value) && !(typeof value === 'object' && value !== null && 'pyType' in value);
}

