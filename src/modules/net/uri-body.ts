import { jsonDumps } from '../../template/filters/json.js';
import { pyStr } from '../../template/python/index.js';
import { PyDict, PyTuple, type PyValue } from '../../template/values.js';

/** urllib.parse.quote_plus: only letters, digits and `_.-~` stay; a space becomes `+`. */
function quotePlus(text: string): string {
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function pairsOf(body: PyValue): [PyValue, PyValue][] {
  if (body instanceof PyDict) return [...body];
  const items = Array.isArray(body) ? body : body instanceof PyTuple ? body.items : null;
  if (items === null) throw new Error('cannot form-urlencode body, expect list or dict');
  return items.map((item) => {
    const pair = Array.isArray(item) ? item : item instanceof PyTuple ? item.items : [];
    return [pair[0] ?? null, pair[1] ?? null];
  });
}

/** uri's form_urlencoded: a string as it is; a dict or list of pairs urlencoded, list values repeating the key. */
function formUrlencoded(body: PyValue): string {
  if (typeof body === 'string') return body;
  const fields: string[] = [];
  for (const [key, values] of pairsOf(body)) {
    const list = Array.isArray(values) ? values : values instanceof PyTuple ? values.items : [values];
    for (const value of list) if (value !== null) fields.push(`${quotePlus(pyStr(key))}=${quotePlus(pyStr(value))}`);
  }
  return fields.join('&');
}

/**
 * The request body uri sends and the Content-Type it adds when none is given, or a failure
 * message. form-multipart is not implemented.
 */
export function requestBody(body: PyValue, format: string, headers: Map<string, string>): { body: Buffer | null } | { error: string } {
  const hasContentType = [...headers.keys()].some((name) => name.toLowerCase() === 'content-type');
  if (format === 'form-multipart') return { error: "fleet's uri does not support body_format=form-multipart yet" };
  if (format === 'json') {
    if (!hasContentType) headers.set('Content-Type', 'application/json');
    if (body === null) return { body: null };
    return { body: Buffer.from(typeof body === 'string' ? body : jsonDumps(body), 'utf8') };
  }
  if (format === 'form-urlencoded') {
    if (!hasContentType) headers.set('Content-Type', 'application/x-www-form-urlencoded');
    if (body === null) return { body: null };
    try {
      return { body: Buffer.from(formUrlencoded(body), 'utf8') };
    } catch (error) {
      return { error: `failed to parse body as form_urlencoded: ${(error as Error).message}` };
    }
  }
  if (body === null) return { body: null };
  if (typeof body !== 'string') return { error: `fleet's uri sends a body with body_format=raw only when it is a string, not ${pyStr(body)}` };
  return { body: Buffer.from(body, 'utf8') };
}
