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

import { hopByHop } from '../forward/hop-by-hop.ts';

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

// One pass validates the whole head: request line, then `token: value` lines whose values hold no
// control character but HTAB (no obs-fold, no bare CR or LF, no space before the colon).
const requestHeadShape = /^([A-Z]{3,7}) ([\x21-\x7e]+) HTTP\/1\.1((?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*)$/;
const requestLine = /^[A-Z]{3,7} [\x21-\x7e]+ HTTP\/1\.1$/;
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
  const m = requestHeadShape.exec(text);
  if (!m) {
    const firstEnd = text.indexOf('\r\n');
    return requestLine.test(firstEnd < 0 ? text : text.slice(0, firstEnd)) ? 'header' : 'version';
  }
  if (!fastMethods.has(m[1]!)) return 'method';
  const lines = m[3]!;
  const raw: string[] = [];
  const headers: Record<string, string> = {};
  let hosts = 0;
  let close = false;
  let at = 2; // lines is "\r\nname: value\r\nname: value…"
  while (at < lines.length) {
    let lineEnd = lines.indexOf('\r\n', at);
    if (lineEnd < 0) lineEnd = lines.length;
    const colon = lines.indexOf(':', at);
    const name = lines.slice(at, colon);
    const value = ows(lines, colon + 1, lineEnd);
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

/** Trims optional whitespace (SP, HTAB) only: `String#trim` would also eat latin1 NBSP. */
const ows = (s: string, from: number, to: number) => {
  while (from < to && (s.charCodeAt(from) === 32 || s.charCodeAt(from) === 9)) from++;
  while (to > from && (s.charCodeAt(to - 1) === 32 || s.charCodeAt(to - 1) === 9)) to--;
  return s.slice(from, to);
};

/** A backend's response head, as the socket engine relays it. */
export interface ResponseHead {
  status: number;
  reason: string;
  /**
   * The header lines the client gets, each ending in CRLF, in order and case as the backend sent
   * them: hop-by-hop ones (and those the backend's `Connection` names) left out.
   */
  endToEnd: string;
  /** Lower-cased names as undici gives them (a repeated header becomes an array); only when asked for. */
  headers: Record<string, string | string[]> | undefined;
  /** -1 when absent. */
  contentLength: number;
  chunked: boolean;
  /** The backend will close the connection after this response (HTTP/1.0 or `Connection: close`). */
  close: boolean;
}

// One pass validates the whole head: status line, then `token: value` lines whose values hold no
// control character but HTAB. SECURITY: so no bare CR or LF can split the response we write.
const responseHeadShape = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: ([\t\x20-\x7e\x80-\xff]*))?((?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*)$/;

/**
 * Parses a backend's response head ending at `end`; a string names what was wrong (the response
 * is refused). `withHeaders` also builds the lower-cased header object (for a shadow comparison).
 */
export const parseResponseHead = (buf: Buffer, end: number, withHeaders: boolean): ResponseHead | string => {
  const text = buf.toString('latin1', 0, end);
  const m = responseHeadShape.exec(text);
  if (!m) return 'malformed response head';
  const lines = m[4]!;
  const headers: Record<string, string | string[]> | undefined = withHeaders ? {} : undefined;
  let endToEnd = '';
  let extraHop: string[] | undefined;
  let contentLength = -1;
  let chunked = false;
  let close = m[1] === '0';
  // lines is "\r\nname: value\r\nname: value…"
  let at = 2;
  while (at < lines.length) {
    let lineEnd = lines.indexOf('\r\n', at);
    if (lineEnd < 0) lineEnd = lines.length;
    const colon = lines.indexOf(':', at);
    const name = lines.slice(at, colon).toLowerCase();
    const value = ows(lines, colon + 1, lineEnd);
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
        else if (token === 'keep-alive') { if (m[1] === '0') close = false; }
        else if (token) (extraHop ??= []).push(token);
      }
    }
    if (headers) {
      const prev = headers[name];
      headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    if (!hopByHop.has(name)) endToEnd += `${lines.slice(at, lineEnd)}\r\n`;
    at = lineEnd + 2;
  }
  if (chunked && contentLength >= 0) return 'both content-length and transfer-encoding';
  // Rare: names the backend's Connection header lists are hop-by-hop too.
  if (extraHop) endToEnd = endToEnd.split('\r\n').filter((l) => l && !extraHop.includes(l.slice(0, l.indexOf(':')).toLowerCase())).map((l) => `${l}\r\n`).join('');
  return { status: Number(m[2]), reason: m[3] ?? '', endToEnd, headers, contentLength, chunked, close };
};
