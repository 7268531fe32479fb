import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '@ficus/common/core';
import type { SessionIdentity } from '../auth/session-identity.ts';
import { decide, isIdempotent, type Decision, type OwnerView } from '../decision/decide.ts';
import type { FlagView } from '../decision/mode.ts';
import { proxyErrorCodes, type ProxyErrorCode } from '../errors/proxy-error-codes.ts';
import type { CircuitBreaker } from '../engine-shared/circuit-breaker.ts';
import { errorBody, reportExchange, servedByValue, withServiceIdentity } from '../engine-shared/exchange-common.ts';
import { upstreamHeaders } from '../engine-shared/hop-by-hop.ts';
import type { Upstreams } from '../engine-shared/upstreams.ts';
import { cookieValue, requestIdOf } from '../engine-shared/request-identity.ts';
import type { FallbackReason, ProxyMetrics, ServedSide } from '../metrics/proxy-metrics.ts';
import type { RouteTable } from '../routes/route-table.ts';
import type { PrimaryTap, ShadowOffer, ShadowSink, ShadowTicket } from '../shadow/shadow-sink.ts';
import { ChunkedReader } from './chunked-reader.ts';
import type { ConnExchange } from './client-connection.ts';
import { forwardedLines, readFinalResponseHead, type RequestHead, type ResponseHead } from './http1-head.ts';
import type { RouteHeaders } from './route-headers.ts';
import type { ProxyTracing, Traced } from '../engine-shared/proxy-tracing.ts';
import type { Span } from '@opentelemetry/api';
import type { SocketPools, UpstreamConn, UpstreamOwner } from './upstream-sockets.ts';

/** What an exchange needs of the socket engine around it (one object per engine, built by `createSocketFront`). */
export interface ExchangeContext {
  readonly table: RouteTable;
  readonly flags: FlagView;
  /** Owners of units and read-your-writes pins, for reads of ownership units. */
  readonly owners?: OwnerView;
  /** The circuit breaker per backend (shared with the node:http engine). */
  readonly upstreams: Pick<Upstreams, 'breaker'>;
  readonly pools: SocketPools;
  readonly shadow: ShadowSink;
  readonly metrics: ProxyMetrics;
  readonly log: Logger;
  readonly trustForwarded: boolean;
  readonly sessionCookie: string;
  readonly userCookie: string;
  readonly debugHeader: boolean;
  readonly accessLog: 'all' | 'errors';
  readonly identity?: SessionIdentity;
  /** Spans and `traceparent` per request (undefined: tracing off, the client's headers pass as sent). */
  readonly tracing?: ProxyTracing | undefined;
  /** The header values the route table matches on, for one request. */
  routeHeaders(head: RequestHead): RouteHeaders;
}

/** The client connection an exchange answers on. */
export interface ExchangeClient {
  readonly socket: Socket;
  /** The exchange is over (answered, failed, or the client left): the connection goes on. */
  done(ex: ConnExchange): void;
}

const timeoutError = () => Object.assign(new Error('the backend did not answer in time'), { code: 'UPSTREAM_TIMEOUT' });

/**
 * One request of the socket engine, from its decision to the last response byte: it writes the
 * request to a pooled backend socket, relays the response (head rewritten, body framing followed),
 * falls back to legacy or answers 502/504 when the backend fails, and tells its connection when done.
 */
export class Exchange implements UpstreamOwner, ConnExchange, Traced {
  readonly ctx: ExchangeContext;
  readonly conn: ExchangeClient;
  readonly head: RequestHead;
  readonly decision: Decision;
  readonly requestId: string;
  readonly started = performance.now();
  readonly headers: string[];
  served: ServedSide = 'none';
  status = 0;
  fallback: string | undefined;
  error: string | undefined;
  clientGone = false;
  finished = false;
  tap: PrimaryTap | undefined;
  requestText: string | undefined;
  // the current attempt
  side: ServedSide = 'legacy';
  breaker: CircuitBreaker | undefined;
  fallbackTarget: string | undefined;
  target = '';
  upstream: UpstreamConn | undefined;
  /** The current connection carried an exchange before (the backend may have closed it meanwhile). */
  connReused = false;
  /** Until when the backend may stay silent (performance.now() ms); 0 when nothing is owed. */
  deadline = 0;
  staleRetried = false;
  gotBytes = false;
  responseBuf: Buffer | undefined;
  response: ResponseHead | undefined;
  headWritten = false;
  /** The response head, until it leaves with the first body bytes. */
  headText: string | undefined;
  noBody = false;
  bodyLeft = 0;
  chunked: ChunkedReader | undefined;
  untilClose = false;
  /** The backend is paused until the client drains what it was sent. */
  waitingForClient = false;

  /** The request body, held whole (null: none). */
  readonly requestBody: Buffer | null;
  readonly cookie: string | undefined;
  /** Shadow mode: the sink admitted a copy (see `mirrors`). */
  readonly ticket: ShadowTicket | undefined;
  /** A copy of this request goes to the service (admitted, or a sink that decides in one step). */
  readonly mirrors: boolean;
  /** Text path: the upstream header lines; then `headers` holds only lines added later. */
  readonly baseLines: string | undefined;
  span: Span | undefined = undefined;
  traceparent: string | undefined = undefined;

  constructor(ctx: ExchangeContext, conn: ExchangeClient, head: RequestHead, path: string, body: Buffer | null) {
    this.ctx = ctx;
    this.conn = conn;
    this.head = head;
    this.requestBody = body;
    this.requestId = requestIdOf(head.header('x-request-id'), randomUUID);
    const cookie = head.header('cookie');
    this.cookie = cookie;
    this.decision = decide({
      method: head.method, path, headers: ctx.routeHeaders(head),
      userId: cookieValue(cookie, ctx.userCookie), sessionId: cookieValue(cookie, ctx.sessionCookie),
    }, ctx.flags, ctx.table, ctx.owners);
    if (this.decision.reason === 'read-your-writes') ctx.metrics.readPinned(this.decision.routeId);
    const clientAddress = conn.socket.remoteAddress ?? '';
    const d = this.decision;
    if (ctx.tracing) {
      const traceparent = head.header('traceparent'); // PERF: tracestate is looked for only after a traceparent
      ctx.tracing.begin(this, traceparent, traceparent === undefined ? undefined : head.header('tracestate'), head.method, head.url, d, this.requestId);
    }
    // PERF: a shadow-mode request whose copy is turned away (sampling, load guard, write safety)
    // costs no more than a legacy one: the copy's header list is built only once it is admitted.
    if (d.mirrorTarget && ctx.shadow.admit) {
      this.ticket = ctx.shadow.admit({ routeId: d.routeId, method: head.method, header: (n) => head.header(n), body });
    }
    this.mirrors = d.mirrorTarget !== undefined && (this.ticket !== undefined || !ctx.shadow.admit);
    if (ctx.trustForwarded || head.connectionNamesHeaders || this.mirrors) {
      // the general form: a flat header list (the shadow copy takes the same list)
      this.headers = upstreamHeaders(head.raw(), { requestId: this.requestId, clientAddress, trustForwarded: ctx.trustForwarded, traceparent: this.traceparent });
    } else {
      // PERF, the common case: the client's lines minus hop-by-hop, X-Forwarded-*, x-request-id and
      // x-ficus-user, then ours: what upstreamHeaders gives, without splitting every line.
      this.headers = []; // only what is added later (the signed identity)
      this.baseLines = forwardedLines(head, this.requestId, clientAddress, this.traceparent);
    }
  }

  start(): void {
    const d = this.decision;
    if (this.mirrors) {
      const offer: ShadowOffer = {
        routeId: d.routeId, requestId: this.requestId, target: d.mirrorTarget!, legacyTarget: d.primaryTarget,
        method: this.head.method, url: this.head.url, headers: this.headers, body: this.requestBody,
      };
      this.tap = this.ticket && this.ctx.shadow.take ? this.ctx.shadow.take(this.ticket, offer) : this.ctx.shadow.offer(offer);
    }
    withServiceIdentity(this.ctx.identity, this.ctx.sessionCookie, d, this.cookie, this.headers, () => this.route());
  }

  route(): void {
    if (this.clientGone) return;
    const d = this.decision;
    if (d.primary === 'service') {
      const breaker = this.ctx.upstreams.breaker(d.primaryTarget);
      if (!breaker.allow()) {
        if (d.fallbackTarget) return this.fallBack('circuit-open');
        this.error = 'PROXY_CIRCUIT_OPEN';
        return this.fail('PROXY_CIRCUIT_OPEN', 'the service is failing and this request cannot go to legacy');
      }
      return this.dispatch(d.primaryTarget, 'service', breaker, d.fallbackTarget);
    }
    this.dispatch(d.primaryTarget, 'legacy', undefined, undefined);
  }

  dispatch(target: string, side: ServedSide, breaker: CircuitBreaker | undefined, fallbackTarget: string | undefined): void {
    this.side = side;
    this.breaker = breaker;
    this.fallbackTarget = fallbackTarget;
    this.ctx.pools.get(target).acquire((err, conn) => {
      if (this.clientGone || this.finished) {
        if (conn) this.ctx.pools.get(target).release(conn);
        return;
      }
      if (err || !conn) return this.upstreamFailed(err ?? new Error('no connection'));
      this.send(conn, target);
    });
  }

  send(conn: UpstreamConn, target: string): void {
    conn.owner = this;
    this.upstream = conn;
    this.target = target;
    this.connReused = conn.reused;
    this.gotBytes = false;
    const timeout = this.decision.timeoutMs;
    this.deadline = performance.now() + timeout;
    if (this.requestText === undefined) {
      let s = `${this.head.method} ${this.head.url} HTTP/1.1${this.baseLines ?? ''}`;
      const h = this.headers;
      for (let i = 0; i < h.length; i += 2) s += `\r\n${h[i]}: ${h[i + 1]}`;
      this.requestText = `${s}\r\n\r\n`;
    }
    if (this.requestBody) {
      conn.socket.cork(); // head and body in one writev
      conn.socket.write(this.requestText, 'latin1');
      conn.socket.write(this.requestBody);
      conn.socket.uncork();
    } else {
      conn.socket.write(this.requestText, 'latin1');
    }
  }

  /** From the sweep, once per interval while in flight. */
  check(now: number): void {
    if (!this.deadline || now < this.deadline || this.finished) return;
    if (this.waitingForClient) { this.progress(now); return; } // a slow reader is not a slow backend
    this.deadline = 0;
    this.dropUpstream();
    if (this.headWritten) return this.brokenMidBody('UPSTREAM_TIMEOUT');
    this.upstreamFailed(timeoutError());
  }

  progress(now = performance.now()): void {
    if (this.deadline) this.deadline = now + this.decision.timeoutMs;
  }

  onUpstreamData(chunk: Buffer): void {
    this.gotBytes = true;
    this.progress();
    if (!this.response) {
      // interim 1xx heads (103 Early Hints …) are dropped, as the node:http engine does
      const r = readFinalResponseHead(this.responseBuf ? Buffer.concat([this.responseBuf, chunk]) : chunk, this.tap !== undefined);
      if (typeof r === 'string') return this.badUpstream(r);
      if ('partial' in r) { this.responseBuf = r.partial; return; }
      this.responseBuf = undefined;
      this.response = r.head;
      if (!this.onHead(r.head)) return;
      chunk = r.rest;
      if (!this.noBody && chunk.length === 0 && (this.chunked || this.untilClose || this.bodyLeft > 0)) return;
    }
    this.body(chunk);
  }

  /** Writes the response head to the client; false when this response is not the one to relay. */
  onHead(r: ResponseHead): boolean {
    if (r.status >= 500) {
      this.breaker?.failure();
      if (this.fallbackTarget && !this.clientGone) {
        this.dropUpstream();
        this.fallBack('service-5xx');
        return false;
      }
    } else {
      this.breaker?.success();
    }
    this.served = this.side;
    this.status = r.status;
    this.tap?.head(r.status, r.headers as IncomingHttpHeaders);
    this.noBody = this.head.method === 'HEAD' || r.status === 204 || r.status === 304;
    this.chunked = !this.noBody && r.chunked ? new ChunkedReader() : undefined;
    this.untilClose = !this.noBody && !r.chunked && r.contentLength < 0;
    this.bodyLeft = this.noBody || r.contentLength < 0 ? 0 : r.contentLength;
    let s = `HTTP/1.1 ${r.status} ${r.reason || STATUS_CODES[r.status] || 'unknown'}\r\n`;
    s += r.endToEnd;
    if (this.ctx.debugHeader) s += `x-ficus-served-by: ${servedByValue(this.decision, this.side, this.fallback)}\r\n`;
    if (this.chunked || this.untilClose) s += 'transfer-encoding: chunked\r\n';
    if (this.head.close) s += 'connection: close\r\n';
    this.headWritten = true;
    this.headText = `${s}\r\n`; // goes out with the first body bytes (see write)
    return true;
  }

  body(chunk: Buffer): void {
    const tap = this.tap;
    if (this.noBody) {
      return this.complete(chunk.length === 0);
    }
    if (this.chunked) {
      const n = this.chunked.feed(chunk, tap ? (d) => tap.data(d) : undefined);
      if (n < 0) return this.badUpstream(this.chunked.error!);
      if (n) this.write(n === chunk.length ? chunk : chunk.subarray(0, n));
      if (this.chunked.done) this.complete(n === chunk.length);
      return;
    }
    if (this.untilClose) {
      if (!chunk.length) return;
      tap?.data(chunk);
      this.conn.socket.cork();
      this.write(`${chunk.length.toString(16)}\r\n`);
      this.write(chunk);
      this.write('\r\n');
      this.conn.socket.uncork();
      return;
    }
    const take = Math.min(this.bodyLeft, chunk.length);
    if (take) {
      const part = take === chunk.length ? chunk : chunk.subarray(0, take);
      tap?.data(part);
      this.write(part);
      this.bodyLeft -= take;
    }
    if (this.bodyLeft === 0) this.complete(take === chunk.length);
  }

  /**
   * PERF: the response head waits for the first body bytes and leaves with them in one write:
   * each socket write is a syscall running loopback TCP, the largest cost per request.
   */
  write(data: string | Buffer): void {
    if (this.clientGone) return;
    const socket = this.conn.socket;
    const head = this.headText;
    if (head !== undefined) {
      this.headText = undefined;
      if (typeof data === 'string') data = head + data;
      else if (data.length <= 16_384) {
        const both = Buffer.allocUnsafe(head.length + data.length);
        both.write(head, 0, 'latin1');
        data.copy(both, head.length);
        data = both;
      } else socket.write(head, 'latin1');
    }
    const ok = typeof data === 'string' ? socket.write(data, 'latin1') : socket.write(data);
    if (!ok && this.upstream) {
      this.waitingForClient = true;
      this.upstream.socket.pause();
    }
  }

  clientDrained(): void {
    if (!this.waitingForClient) return;
    this.waitingForClient = false;
    this.progress();
    this.upstream?.socket.resume();
  }

  /** The response was relayed whole; the backend connection is kept when its framing is intact. */
  complete(reusable: boolean): void {
    if (this.headText !== undefined) this.write('');
    const conn = this.upstream;
    this.upstream = undefined;
    if (conn) {
      if (reusable && !this.response!.close) {
        conn.socket.resume();
        this.ctx.pools.get(this.target).release(conn);
      } else {
        conn.owner = undefined;
        conn.socket.destroy();
      }
    }
    this.tap?.end();
    this.tap = undefined;
    this.finish();
  }

  onUpstreamClose(err: (Error & { code?: string }) | undefined): void {
    this.upstream = undefined;
    if (this.finished) return;
    if (this.response && this.untilClose && err?.code === 'UPSTREAM_CLOSED') {
      this.write('0\r\n\r\n');
      this.tap?.end();
      this.tap = undefined;
      return this.finish();
    }
    if (this.headWritten) return this.brokenMidBody(err?.code ?? 'UPSTREAM_CLOSED');
    if (this.connReused && !this.staleRetried && !this.gotBytes && isIdempotent(this.head.method)) {
      // The backend closed an idle keep-alive connection as the request went out: try a fresh one.
      this.staleRetried = true;
      this.response = undefined;
      this.responseBuf = undefined;
      return this.dispatch(this.target, this.side, this.breaker, this.fallbackTarget);
    }
    this.upstreamFailed(err ?? new Error('backend closed the connection'));
  }

  /** Before any response byte reached the client: fall back to legacy or answer 502/504. */
  upstreamFailed(err: Error & { code?: string }): void {
    this.deadline = 0;
    this.breaker?.failure();
    this.error = err.code ?? err.name;
    this.response = undefined;
    this.responseBuf = undefined;
    const timedOut = err.code === 'UPSTREAM_TIMEOUT';
    if (this.fallbackTarget && !this.clientGone) return this.fallBack(timedOut ? 'service-timeout' : 'service-error');
    if (timedOut) return this.fail('PROXY_UPSTREAM_TIMEOUT', 'the backend did not answer in time');
    this.fail('PROXY_UPSTREAM_UNAVAILABLE', 'no backend could answer');
  }

  badUpstream(reason: string): void {
    this.dropUpstream();
    this.error = 'PROXY_BAD_UPSTREAM_RESPONSE';
    this.ctx.log.debug({ requestId: this.requestId, reason }, 'backend response refused');
    if (this.headWritten) return this.brokenMidBody('PROXY_BAD_UPSTREAM_RESPONSE');
    this.breaker?.failure();
    if (this.fallbackTarget && !this.clientGone) return this.fallBack('service-error');
    this.fail('PROXY_UPSTREAM_UNAVAILABLE', 'no backend could answer');
  }

  fallBack(reason: FallbackReason): void {
    this.fallback = reason;
    this.ctx.metrics.fallback(this.decision.routeId, reason);
    this.response = undefined;
    this.responseBuf = undefined;
    this.dispatch(this.decision.fallbackTarget!, 'legacy', undefined, undefined);
  }

  /** The status is out already: cut the client's connection so it sees the failure. */
  brokenMidBody(code: string): void {
    this.error = code;
    this.tap?.fail(code);
    this.tap = undefined;
    this.conn.socket.destroy();
    this.finish();
  }

  dropUpstream(): void {
    const conn = this.upstream;
    this.upstream = undefined;
    if (conn) {
      conn.owner = undefined;
      conn.socket.destroy();
    }
  }

  fail(code: ProxyErrorCode, message: string): void {
    this.error ??= code;
    this.tap?.fail(code);
    this.tap = undefined;
    if (this.clientGone) return this.finish();
    const status = proxyErrorCodes[code].status;
    const body = errorBody(this.requestId, code, message);
    this.status = status;
    this.headWritten = true;
    this.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\ncache-control: no-store\r\nx-request-id: ${this.requestId}\r\n${this.head.close ? 'connection: close\r\n' : ''}\r\n${body}`);
    this.finish();
  }

  clientLeft(): void {
    if (this.finished) return;
    this.clientGone = true;
    this.dropUpstream();
    this.tap?.fail('client-gone');
    this.tap = undefined;
    this.finish();
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.deadline = 0;
    reportExchange(this.ctx.metrics, this.ctx.log, this.ctx.accessLog, {
      decision: this.decision, requestId: this.requestId, method: this.head.method, url: this.head.url, started: this.started,
      side: this.served, status: this.clientGone && !this.headWritten ? 499 : this.status, fallback: this.fallback, error: this.error, clientGone: this.clientGone,
      span: this.span,
    });
    this.conn.done(this);
  }
}
