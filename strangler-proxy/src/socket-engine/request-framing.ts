// One request read off a connection's pending bytes: the socket engine's whole framing decision,
// as a pure function (unit-tested, and fuzzed against Node's own parser in framing-fuzz.ts).
import { splitTarget } from '../engine-shared/request-identity.ts';
import { headEnd, parseRequestHead, type RequestHead } from './http1-head.ts';

/** The largest head the engine reads itself (node:http's limit too: beyond it, its 431). */
export const maxHeadBytes = 16 * 1024;

export type Framed =
  /** More bytes are needed (the head or the declared body is not complete yet). */
  | { kind: 'incomplete' }
  /** Not this engine's to serve: the connection goes to node:http, which serves or refuses it. */
  | { kind: 'handoff'; reason: string }
  /** A whole request: its head, path, body (or null) and how many bytes it took. */
  | { kind: 'request'; head: RequestHead; path: string; body: Buffer | null; total: number };

/**
 * Frames the next request in `buf`. The engine serves only plain HTTP/1.1 requests with no body or
 * one `Content-Length` body up to `replayBodyBytes` (held whole so it can be retried and mirrored);
 * anything else (chunked or larger bodies, upgrades, odd or malformed heads, bad targets) is handed off.
 */
export const frameRequest = (buf: Buffer, o: { replayBodyBytes: number }): Framed => {
  const end = buf.indexOf(headEnd);
  if (end < 0) return buf.length > maxHeadBytes ? { kind: 'handoff', reason: 'size' } : { kind: 'incomplete' };
  const head = end <= maxHeadBytes ? parseRequestHead(buf, end) : 'size';
  if (typeof head === 'string') return { kind: 'handoff', reason: head };
  const target = splitTarget(head.url);
  if (!target) return { kind: 'handoff', reason: 'target' };
  if (head.contentLength > o.replayBodyBytes) return { kind: 'handoff', reason: 'body' };
  const total = end + 4 + head.contentLength;
  if (buf.length < total) return { kind: 'incomplete' };
  return { kind: 'request', head, path: target.path, body: head.contentLength ? buf.subarray(end + 4, total) : null, total };
};
