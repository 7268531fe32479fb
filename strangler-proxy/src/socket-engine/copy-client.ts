import type { CopyRequest, CopySink, CopyTransport } from '../shadow/copy-transport.ts';
import { ChunkedReader } from './chunked-reader.ts';
import { readFinalResponseHead } from './http1-head.ts';
import type { SocketPool, SocketPools, UpstreamConn, UpstreamOwner } from './upstream-sockets.ts';

/** A reused keep-alive connection the backend had closed meanwhile is replaced this many times. */
const staleRetries = 2;
const methodShape = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// eslint-disable-next-line no-control-regex -- the point: control characters are refused
const targetShape = /^\/[^\s\x00-\x1f\x7f]*$/;
// SECURITY: no CR, LF or NUL in what we write, so a copy cannot be split into two requests
const unsafeValue = /[\r\n\0]/;
const methodsWithoutBody: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE', 'TRACE']);
/** Sent again after a stale keep-alive socket (RFC 9110 §9.2.2); any other copy fails instead. */
const idempotent: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

type CopyError = Error & { code: string };
const copyError = (code: string, message: string): CopyError => Object.assign(new Error(message), { code });

/** The request's bytes: the copy's header lines with its own framing (Content-Length from the body). */
export const copyRequestBytes = (req: CopyRequest): Buffer | CopyError => {
  if (!methodShape.test(req.method)) return copyError('COPY_BAD_REQUEST', `invalid method ${JSON.stringify(req.method)}`);
  if (!targetShape.test(req.path)) return copyError('COPY_BAD_REQUEST', 'invalid request target');
  let head = `${req.method} ${req.path} HTTP/1.1\r\n`;
  let hadLength = false;
  for (let i = 0; i < req.headers.length; i += 2) {
    const name = req.headers[i]!;
    const value = req.headers[i + 1]!;
    if (!methodShape.test(name) || unsafeValue.test(value)) return copyError('COPY_BAD_REQUEST', `invalid header ${JSON.stringify(name)}`);
    const lower = name.length === 14 || name.length === 17 || name.length === 10 ? name.toLowerCase() : '';
    if (lower === 'content-length') { hadLength = true; continue; }
    if (lower === 'transfer-encoding' || lower === 'connection') continue;
    head += `${name}: ${value}\r\n`;
  }
  const length = req.body ? req.body.length : hadLength || !methodsWithoutBody.has(req.method) ? 0 : -1;
  if (length >= 0) head += `content-length: ${length}\r\n`;
  head += '\r\n';
  const bytes = Buffer.from(head, 'latin1');
  return req.body?.length ? Buffer.concat([bytes, req.body]) : bytes;
};

/** One copy on one pooled connection: writes the request, follows the answer's framing, hands its bytes on. */
class CopyExchange implements UpstreamOwner {
  private conn: UpstreamConn | undefined;
  private pending: Buffer | undefined;
  private phase: 'head' | 'body' | 'done' = 'head';
  private bodyLeft = -1;
  private chunked: ChunkedReader | undefined;
  private keepAlive = true;
  private status = 0;
  private received = false;
  private onReused = false;
  private attempts = 0;
  private timer: NodeJS.Timeout | undefined;

  private readonly pool: SocketPool;
  private readonly req: CopyRequest;
  private readonly bytes: Buffer;
  private readonly into: CopySink;
  private readonly resolve: (status: number) => void;
  private readonly reject: (e: Error) => void;

  constructor(pool: SocketPool, req: CopyRequest, bytes: Buffer, into: CopySink, resolve: (status: number) => void, reject: (e: Error) => void) {
    this.pool = pool;
    this.req = req;
    this.bytes = bytes;
    this.into = into;
    this.resolve = resolve;
    this.reject = reject;
  }

  start(): void {
    this.pool.acquire((e, conn) => {
      if (e || !conn) return this.fail(e ?? copyError('UPSTREAM_CONNECT_FAILED', 'no connection'));
      if (this.phase === 'done') { this.pool.release(conn); return; }
      this.conn = conn;
      this.onReused = conn.reused;
      conn.owner = this;
      this.timer ??= setTimeout(() => this.fail(copyError('COPY_TIMEOUT', `no answer within ${this.req.timeoutMs} ms`)), this.req.timeoutMs);
      conn.socket.write(this.bytes);
    });
  }

  onUpstreamData(chunk: Buffer): void {
    if (this.phase === 'done') return;
    this.received = true;
    this.timer?.refresh();
    if (this.phase === 'head') {
      const r = readFinalResponseHead(this.pending ? Buffer.concat([this.pending, chunk]) : chunk, true);
      if (typeof r === 'string') return this.fail(copyError('COPY_BAD_RESPONSE', r));
      if ('partial' in r) { this.pending = r.partial; return; }
      this.pending = undefined;
      const h = r.head;
      const rest = r.rest;
      this.status = h.status;
      this.into.head(h.status, h.headers!);
      this.phase = 'body';
      this.keepAlive = !h.close;
      if (this.req.method === 'HEAD' || h.status === 204 || h.status === 304) return this.done(rest.length === 0);
      if (h.chunked) this.chunked = new ChunkedReader();
      else if (h.contentLength >= 0) this.bodyLeft = h.contentLength;
      else this.keepAlive = false; // the body ends when the backend closes
      if (this.bodyLeft === 0) return this.done(rest.length === 0);
      if (rest.length) this.body(rest);
      return;
    }
    this.body(chunk);
  }

  private body(chunk: Buffer): void {
    if (this.chunked) {
      const used = this.chunked.feed(chunk, (d) => this.into.data(d));
      if (used < 0) return this.fail(copyError('COPY_BAD_RESPONSE', this.chunked.error ?? 'invalid chunked body'));
      if (this.chunked.done) this.done(used === chunk.length);
      return;
    }
    if (this.bodyLeft < 0) { this.into.data(chunk); return; }
    const take = Math.min(this.bodyLeft, chunk.length);
    this.into.data(take === chunk.length ? chunk : chunk.subarray(0, take));
    this.bodyLeft -= take;
    if (this.bodyLeft === 0) this.done(take === chunk.length);
  }

  onUpstreamClose(error: (Error & { code?: string }) | undefined): void {
    if (this.phase === 'done') return;
    this.conn = undefined;
    if (this.phase === 'body' && !this.chunked && this.bodyLeft < 0) return this.done(false); // close-delimited body complete
    if (this.phase === 'head' && !this.received && this.onReused && idempotent.has(this.req.method) && this.attempts++ < staleRetries) { this.start(); return; } // a stale keep-alive socket
    this.fail(copyError(error?.code ?? 'UPSTREAM_CLOSED', error?.message ?? 'backend closed the connection'));
  }

  /** `reusable`: the message ended exactly at the end of what was read (no stray bytes follow). */
  private done(reusable: boolean): void {
    this.phase = 'done';
    clearTimeout(this.timer);
    const conn = this.conn;
    this.conn = undefined;
    if (conn) {
      if (this.keepAlive && reusable) this.pool.release(conn);
      else { conn.owner = undefined; conn.socket.destroy(); }
    }
    this.resolve(this.status);
  }

  private fail(e: Error): void {
    if (this.phase === 'done') return;
    this.phase = 'done';
    clearTimeout(this.timer);
    const conn = this.conn;
    this.conn = undefined;
    if (conn) { conn.owner = undefined; conn.socket.destroy(); }
    this.reject(e);
  }
}

/**
 * Shadow copies over the socket engine's own keep-alive sockets (a pool set of their own, so copies
 * never take a primary's connection). PERF: a copy through undici cost about as much CPU as the
 * primary request itself; this writes one buffer and follows the answer with the engine's parser.
 */
export const socketCopyTransport = (pools: SocketPools): CopyTransport => (target, req, into) =>
  new Promise<number>((resolve, reject) => {
    const bytes = copyRequestBytes(req);
    if (bytes instanceof Error) return reject(bytes);
    new CopyExchange(pools.get(target), req, bytes, into, resolve, reject).start();
  });
