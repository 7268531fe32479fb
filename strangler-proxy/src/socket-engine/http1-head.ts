/**
 * Strict, allocation-light parsing of HTTP/1.1 message heads for the socket engine
 * (docs/decisions/0010-socket-engine.md).
 *
 * SECURITY: the request parser does not try to be complete. It accepts a narrow, unambiguous subset
 * (HTTP/1.1, token header names, no obs-fold, no control characters, exactly one Host, no body
 * framing other than `Content-Length: 0`, no Upgrade/Expect/Transfer-Encoding) and answers
 * `undefined` for everything else, which hands the connection to Node's own strict parser (llhttp)
 * in the node:http engine. So nothing this parser reads differently from llhttp can reach a backend.
 */

export const headEnd = Buffer.from('\r\n\r\n');

/** A request the socket engine forwards itself. */
export interface RequestHead {
  method: string;
  /** Request target as sent (origin form is checked by the caller). */
  url: string;
  /** Header names and values in order and case as sent, flat `[name, value, …]`. */
  raw: string[];
  /** Lower-cased names; repeated headers joined with `, ` (cookies with `; `). */
  headers: Record<string, string>;
  /** The client asked to close the connection after this exchange. */
  close: boolean;
}

const tokenName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: HTAB, SP, VCHAR and obs-text; any other control character is refused.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const badValueChar = /[\x00-\x08\x0a-\x1f\x7f]/;
const requestLine = /^([A-Z]{3,7}) ([\x21-\x7e]+) HTTP\/1\.1$/;
const fastMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
// Headers whose presence means the request needs more than this parser knows (bodies, upgrades).
const handOff: ReadonlyMap<string, HandOffReason> = new Map([
  ['transfer-encoding', 'body'], ['expect', 'body'], ['upgrade', 'upgrade'], ['http2-settings', 'upgrade'],
] as const);

export type HandOffReason = 'body' | 'upgrade' | 'method' | 'version' | 'header' | 'host';

/**
 * Parses the head ending at `end` (the index of its `\r\n\r\n`). For anything outside the subset
 * above, including a body, returns why (`body`, `upgrade`, `method`, `version`, `header`, `host`):
 * those go to the node:http engine.
 */
export const parseRequestHead = (buf: Buffer, end: number): RequestHead | HandOffReason => {
  const text = buf.toString('latin1', 0, end);
  const firstEnd = text.indexOf('\r\n');
  const m = requestLine.exec(firstEnd < 0 ? text : text.slice(0, firstEnd));
  if (!m) return 'version';
  if (!fastMethods.has(m[1]!)) return 'method';
  const raw: string[] = [];
  const headers: Record<string, string> = {};
  let hosts = 0;
  let close = false;
  let at = firstEnd < 0 ? text.length : firstEnd + 2;
  while (at < text.length) {
    let lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) lineEnd = text.length;
    const colon = text.indexOf(':', at);
    if (colon < 0 || colon > lineEnd) return 'header';
    const name = text.slice(at, colon);
    if (!tokenName.test(name)) return 'header'; // also refuses obs-fold (a line starting with SP/HTAB)
    const value = text.slice(colon + 1, lineEnd).trim();
    if (badValueChar.test(value)) return 'header';
    at = lineEnd + 2;
    const lower = name.toLowerCase();
    const other = handOff.get(lower);
    if (other) return other;
    if (lower === 'content-length') {
      if (value !== '0') return 'body';
    } else if (lower === 'host') {
      if (++hosts > 1 || !value) return 'host';
    } else if (lower === 'connection') {
      for (const t of value.split(',')) if (t.trim().toLowerCase() === 'close') close = true;
    }
    raw.push(name, value);
    const prev = headers[lower];
    headers[lower] = prev === undefined ? value : `${prev}${lower === 'cookie' ? '; ' : ', '}${value}`;
  }
  if (hosts !== 1) return 'host';
  return { method: m[1]!, url: m[2]!, raw, headers, close };
};

/** A backend's response head, as the socket engine relays it. */
export interface ResponseHead {
  status: number;
  reason: string;
  /** Lower-cased names as undici gives them: a repeated header becomes an array. */
  headers: Record<string, string | string[]>;
  /** -1 when absent. */
  contentLength: number;
  chunked: boolean;
  /** The backend will close the connection after this response (HTTP/1.0 or `Connection: close`). */
  close: boolean;
}

const statusLine = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([^\r\n]*))?$/;

/** Parses a backend's response head; a string names what was wrong (the response is refused). */
export const parseResponseHead = (buf: Buffer, end: number): ResponseHead | string => {
  const text = buf.toString('latin1', 0, end);
  const firstEnd = text.indexOf('\r\n');
  const m = statusLine.exec(firstEnd < 0 ? text : text.slice(0, firstEnd));
  if (!m) return 'invalid status line';
  const headers: Record<string, string | string[]> = {};
  let contentLength = -1;
  let chunked = false;
  let close = m[1] === '0';
  let at = firstEnd < 0 ? text.length : firstEnd + 2;
  while (at < text.length) {
    let lineEnd = text.indexOf('\r\n', at);
    if (lineEnd < 0) lineEnd = text.length;
    const colon = text.indexOf(':', at);
    if (colon < 0 || colon > lineEnd) return 'header line without a colon';
    const name = text.slice(at, colon).toLowerCase();
    if (!tokenName.test(name)) return 'invalid header name';
    const value = text.slice(colon + 1, lineEnd).trim();
    // SECURITY: a bare CR or LF inside a value would split the response we write to the client.
    if (badValueChar.test(value)) return 'invalid header value';
    at = lineEnd + 2;
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value) || (contentLength >= 0 && contentLength !== Number(value))) return 'invalid content-length';
      contentLength = Number(value);
    } else if (name === 'transfer-encoding') {
      if (value.toLowerCase() !== 'chunked' || chunked) return 'unsupported transfer-encoding';
      chunked = true;
    } else if (name === 'connection') {
      for (const t of value.split(',')) {
        const token = t.trim().toLowerCase();
        if (token === 'close') close = true;
        else if (token === 'keep-alive' && m[1] === '0') close = false;
      }
    }
    const prev = headers[name];
    headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  if (chunked && contentLength >= 0) return 'both content-length and transfer-encoding';
  return { status: Number(m[2]), reason: m[3] ?? '', headers, contentLength, chunked, close };
};
