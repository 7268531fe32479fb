/**
 * Strict, allocation-light parsing of HTTP/1.1 message heads for the socket engine
 * (docs/decisions/0010-socket-engine.md).
 *
 * SECURITY: the request parser does not try to be complete. It accepts a narrow, unambiguous subset
 * (HTTP/1.1, token header names, no obs-fold, no control characters, exactly one Host, no body
 * framing other than one plain `Content-Length`, no Upgrade/Expect/Transfer-Encoding) and answers
 * with a reason for everything else, which hands the connection to Node's own strict parser (llhttp)
 * in the node:http engine. So nothing this parser reads differently from llhttp can reach a backend.
 */

import { METHODS } from 'node:http';
import { hopByHop, notConnectionScoped } from '../engine-shared/hop-by-hop.ts';

export const headEnd = Buffer.from('\r\n\r\n');

/**
 * A request the socket engine forwards itself. PERF: nothing is split per header line unless asked:
 * single headers are found with `indexOf` on the lower-cased lines (the head was validated first,
 * so every line is `name:value` with no CR inside and no space before the colon).
 */
export class RequestHead {
  readonly method: string;
  /** Request target as sent (origin form is checked by the caller). */
  readonly url: string;
  /** The header lines as sent: `\r\nName: value\r\nName: value…`. */
  readonly lines: string;
  /** `lines`, lower-cased. */
  readonly lower: string;
  /** The client asked to close the connection after this exchange. */
  close = false;
  /** The client's `Connection` header names other headers as hop-by-hop. */
  connectionNamesHeaders = false;
  /** The body's length (`Content-Length`; 0 without one). */
  contentLength = 0;

  constructor(method: string, url: string, lines: string) {
    this.method = method;
    this.url = url;
    this.lines = lines;
    this.lower = lines.toLowerCase();
  }

  /** A header's value (repeated ones joined with `, `, cookies with `; `), or undefined. */
  header(name: string): string | undefined {
    const values = headerValues(this.lines, this.lower, name);
    return values && (values.length === 1 ? values[0] : values.join(name === 'cookie' ? '; ' : ', '));
  }

  /** Names and values in order and case as sent, flat `[name, value, …]` (split on demand). */
  raw(): string[] {
    const out: string[] = [];
    const l = this.lines;
    for (let at = 2; at < l.length;) {
      let lineEnd = l.indexOf('\r\n', at);
      if (lineEnd < 0) lineEnd = l.length;
      const colon = l.indexOf(':', at);
      out.push(l.slice(at, colon), ows(l, colon + 1, lineEnd));
      at = lineEnd + 2;
    }
    return out;
  }
}

// One pass validates the whole head: request line, then `token: value` lines whose values hold no
// control character but HTAB (no obs-fold, no bare CR or LF, no space before the colon).
// Methods: the ones Node's parser (llhttp) knows, so both engines take the same ones (WebDAV's
// PROPFIND, QUERY, … are forwarded like any other); CONNECT and TRACE go to node:http, which refuses them.
const requestHeadShape = /^([A-Z][A-Z0-9_-]{0,31}) ([\x21-\x7e]+) HTTP\/1\.1((?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*)$/;
const requestLine = /^[A-Z][A-Z0-9_-]{0,31} [\x21-\x7e]+ HTTP\/1\.1$/;
const servedMethods: ReadonlySet<string> = new Set(METHODS.filter((m) => m !== 'CONNECT' && m !== 'TRACE'));

export type HandOffReason = 'body' | 'upgrade' | 'method' | 'version' | 'header' | 'host';

/**
 * Parses the head ending at `end` (the index of its `\r\n\r\n`). For anything outside the subset
 * above, including a chunked body, returns why (`body`, `upgrade`, `method`, `version`, `header`, `host`):
 * those go to the node:http engine.
 */
export const parseRequestHead = (buf: Buffer, end: number): RequestHead | HandOffReason => {
  const text = buf.toString('latin1', 0, end);
  const m = requestHeadShape.exec(text);
  if (!m) {
    const firstEnd = text.indexOf('\r\n');
    return requestLine.test(firstEnd < 0 ? text : text.slice(0, firstEnd)) ? 'header' : 'version';
  }
  if (!servedMethods.has(m[1]!)) return 'method';
  const head = new RequestHead(m[1]!, m[2]!, m[3]!);
  const lower = head.lower;
  // Anything with a body or an upgrade is node:http's.
  if (lower.includes('\r\ntransfer-encoding:') || lower.includes('\r\nexpect:')) return 'body';
  if (lower.includes('\r\nupgrade:') || lower.includes('\r\nhttp2-settings:')) return 'upgrade';
  const length = head.header('content-length');
  if (length !== undefined) {
    if (!/^\d{1,15}$/.test(length)) return 'body'; // repeated (joined with ", ") or not a plain number: llhttp decides
    head.contentLength = Number(length);
  }
  const host = lower.indexOf('\r\nhost:');
  if (host < 0 || lower.indexOf('\r\nhost:', host + 7) >= 0 || !valueAt(lower, host + 7)) return 'host';
  const connection = head.header('connection');
  if (connection !== undefined) {
    for (const t of connection.split(',')) {
      const token = t.trim().toLowerCase();
      if (token === 'close') head.close = true;
      else if (token && token !== 'keep-alive' && !notConnectionScoped.has(token)) head.connectionNamesHeaders = true;
    }
  }
  return head;
};

/** Request header lines the backend never gets from the client (see upstreamHeaders in engine-shared/hop-by-hop.ts). */
const notForwarded = new RegExp(`\\r\\n(?:${[...hopByHop, 'expect', 'x-request-id', 'x-ficus-user'].join('|')}|x-forwarded-[!#$%&'*+.^_\`|~0-9a-z-]*):[^\\r]*`, 'gi');
/** The same, and the client's `traceparent` (replaced by the proxy's when tracing decides one). */
const notForwardedTraced = new RegExp(`\\r\\n(?:${[...hopByHop, 'expect', 'x-request-id', 'x-ficus-user', 'traceparent'].join('|')}|x-forwarded-[!#$%&'*+.^_\`|~0-9a-z-]*):[^\\r]*`, 'gi');

/**
 * The upstream header lines (`\r\nName: value…`) for a request from an untrusted client whose
 * `Connection` names no other header: exactly what `upstreamHeaders` gives for it, without
 * splitting every line: hop-by-hop, `Expect`, `X-Forwarded-*`, `x-request-id` and `x-ficus-user`
 * dropped, `Host` kept, then `X-Forwarded-For/Proto/Host` and `x-request-id` set (and the proxy's
 * `traceparent` instead of the client's, when given).
 */
export const forwardedLines = (head: RequestHead, requestId: string, clientAddress: string, traceparent?: string): string =>
  traceparent === undefined
    ? `${head.lines.replace(notForwarded, '')}\r\nx-forwarded-for: ${clientAddress}\r\nx-forwarded-proto: http\r\nx-forwarded-host: ${head.header('host')}\r\nx-request-id: ${requestId}`
    : `${head.lines.replace(notForwardedTraced, '')}\r\nx-forwarded-for: ${clientAddress}\r\nx-forwarded-proto: http\r\nx-forwarded-host: ${head.header('host')}\r\nx-request-id: ${requestId}\r\ntraceparent: ${traceparent}`;

/**
 * The values of every `\r\n<name>:` line (name lower-case), found in `lower` and read from `lines`
 * (its original-case twin, or `lower` itself); undefined when there is none.
 */
const headerValues = (lines: string, lower: string, name: string): string[] | undefined => {
  const needle = `\r\n${name}:`;
  let values: string[] | undefined;
  for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + needle.length)) {
    (values ??= []).push(valueAt(lines, at + needle.length));
  }
  return values;
};

/** The field value starting at `from` in validated header lines (up to the next CRLF), without OWS. */
const valueAt = (s: string, from: number) => {
  const end = s.indexOf('\r\n', from);
  return ows(s, from, end < 0 ? s.length : end);
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


// Hop-by-hop header lines (RFC 9110 §7.6.1), in the header-lines form "\r\nName: value".
const hopByHopLines = new RegExp(`\\r\\n(?:${[...hopByHop].join('|')}):[^\\r]*`, 'gi');

/**
 * Parses a backend's response head ending at `end`; a string names what was wrong (the response
 * is refused). `withHeaders` also builds the lower-cased header object (for a shadow comparison).
 * PERF: no per-line work unless asked: framing headers are found with `indexOf` on a lower-cased
 * copy and hop-by-hop lines are cut by one regex replace (the head is validated first, so no
 * value holds a CR and no name has space before its colon).
 */
export const parseResponseHead = (buf: Buffer, end: number, withHeaders: boolean): ResponseHead | string => {
  const text = buf.toString('latin1', 0, end);
  const m = responseHeadShape.exec(text);
  if (!m) return 'malformed response head';
  const lines = m[4]!; // "\r\nName: value\r\nName: value…" or ""
  const lower = lines.toLowerCase();
  let contentLength = -1;
  let chunked = false;
  let close = m[1] === '0';
  let extraHop: string[] | undefined;
  for (const v of headerValues(lower, lower, 'content-length') ?? []) {
    if (!/^\d{1,15}$/.test(v) || (contentLength >= 0 && contentLength !== Number(v))) return 'invalid content-length';
    contentLength = Number(v);
  }
  for (const v of headerValues(lower, lower, 'transfer-encoding') ?? []) {
    if (v !== 'chunked' || chunked) return 'unsupported transfer-encoding';
    chunked = true;
  }
  for (const v of headerValues(lower, lower, 'connection') ?? []) {
    for (const t of v.split(',')) {
      const token = t.trim();
      if (token === 'close') close = true;
      else if (token === 'keep-alive') { if (m[1] === '0') close = false; }
      else if (token) (extraHop ??= []).push(token);
    }
  }
  if (chunked && contentLength >= 0) return 'both content-length and transfer-encoding';
  let kept = lines.replace(hopByHopLines, '');
  // Rare: names the backend's Connection header lists are hop-by-hop too.
  if (extraHop) kept = kept.split('\r\n').filter((l) => !extraHop!.includes(l.slice(0, l.indexOf(':')).toLowerCase())).join('\r\n');
  const endToEnd = kept.length > 2 ? `${kept.slice(2)}\r\n` : '';
  let headers: Record<string, string | string[]> | undefined;
  if (withHeaders) {
    headers = {};
    for (let at = 2; at < lines.length;) {
      let lineEnd = lines.indexOf('\r\n', at);
      if (lineEnd < 0) lineEnd = lines.length;
      const colon = lines.indexOf(':', at);
      const name = lower.slice(at, colon);
      const value = ows(lines, colon + 1, lineEnd);
      const prev = headers[name];
      headers[name] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
      at = lineEnd + 2;
    }
  }
  return { status: Number(m[2]), reason: m[3] ?? '', endToEnd, headers, contentLength, chunked, close };
};

/** A backend's response head may not be longer than this. */
export const maxResponseHeadBytes = 64 * 1024;

/**
 * The final (non-1xx) response head at the start of `buf`, interim 1xx heads (103 Early Hints …)
 * skipped; `partial` when more bytes are needed (the unread rest, undefined when nothing is left);
 * a string names what was wrong (the response is refused). Shared by the relay and the copy client.
 */
export const readFinalResponseHead = (buf: Buffer, withHeaders: boolean): { head: ResponseHead; rest: Buffer } | { partial: Buffer | undefined } | string => {
  for (;;) {
    const end = buf.indexOf(headEnd);
    if (end < 0) return buf.length > maxResponseHeadBytes ? 'response head too large' : { partial: buf.length ? buf : undefined };
    const head = parseResponseHead(buf, end, withHeaders);
    if (typeof head === 'string') return head;
    const rest = buf.subarray(end + 4);
    if (head.status >= 200) return { head, rest };
    if (head.status === 101) return 'unrequested protocol switch';
    buf = rest;
  }
};
