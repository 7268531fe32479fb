import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { isWrite } from '../decision/decide.ts';
import { socketError } from '../engine-shared/socket-error.ts';
import type { ProxyMetrics } from '../metrics/proxy-metrics.ts';
import { matchRoute } from '../routes/match-route.ts';
import type { RouteTable } from '../routes/route-table.ts';
import type { RequestHead } from './http1-head.ts';
import { frameRequest } from './request-framing.ts';
import type { RouteHeaders } from './route-headers.ts';
import type { SlotList } from './slot-list.ts';

/** What a connection needs of the request it has in flight (an `Exchange`; a fake in unit tests). */
export interface ConnExchange {
  /** The request's head (`close`: the connection ends after this response). */
  readonly head: RequestHead;
  start(): void;
  /** From the sweep, while in flight: the backend's deadline. */
  check(now: number): void;
  /** The client's socket drained what it was sent. */
  clientDrained(): void;
  /** The client's socket closed. */
  clientLeft(): void;
}

/** What a connection needs of the socket engine around it (one object per engine, built by `createSocketFront`). */
export interface ConnectionContext {
  readonly table: RouteTable;
  readonly metrics: Pick<ProxyMetrics, 'rejected' | 'handOff'>;
  /** Bodies up to this size (with a Content-Length) are served here; larger ones by node:http. */
  readonly replayBodyBytes: number;
  /** Writes of ownership units are handed to node:http's front (its write gate). */
  readonly ownsWrites?: boolean;
  /** The node:http engine: takes every connection (with its unread bytes) this engine does not handle. */
  readonly handOffTo: Pick<Server, 'emit'>;
  /** Every open connection, for the engine's sweep. */
  readonly conns: SlotList<ClientConnection>;
  /** The header values the route table matches on, for one request. */
  routeHeaders(head: RequestHead): RouteHeaders;
  /** The exchange for one framed request (not started yet). */
  newExchange(conn: ClientConnection, head: RequestHead, path: string, body: Buffer | null): ConnExchange;
}

/** Pipelined bytes held while a response is in flight before the client is paused. */
export const maxPendingBytes = 64 * 1024;
/** A request head (or its declared body) must arrive whole within this (node:http's headersTimeout). */
export const headersTimeoutMs = 20_000;
/** An idle keep-alive connection is closed after this (node:http's keepAliveTimeout here). */
export const keepAliveTimeoutMs = 65_000;

/**
 * One client connection of the socket engine: reads requests off the socket one at a time (pipelined
 * ones wait in `pending`), hands each framed request to an exchange, and after each response reads
 * the next, ends the connection (`Connection: close`, client half-closed) or hands the whole
 * connection, unread bytes included, to the node:http engine when a request is outside its subset.
 */
export class ClientConnection {
  readonly ctx: ConnectionContext;
  readonly socket: Socket;
  /** Bytes read and not yet taken by a request (pipelined requests wait here). */
  pending: Buffer | undefined;
  exchange: ConnExchange | undefined;
  /** When the current partial request head started arriving (for the headers timeout), or 0. */
  headSince = 0;
  lastActive = performance.now();
  /** The client finished sending (half-close): answer what is in flight, then close. */
  ended = false;
  /** Where it sits in `conns`. */
  slot = -1;

  constructor(ctx: ConnectionContext, socket: Socket) {
    this.ctx = ctx;
    this.socket = socket;
    socket.setNoDelay(true);
    ctx.conns.add(this);
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.on('end', this.onEnd);
  }

  readonly onEnd = () => {
    this.ended = true;
    if (!this.exchange) this.socket.end();
  };

  readonly onData = (chunk: Buffer) => {
    this.lastActive = performance.now();
    this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    if (!this.exchange) this.next();
    else if (this.pending.length > maxPendingBytes) this.socket.pause();
  };

  readonly onDrain = () => this.exchange?.clientDrained();
  readonly onError = () => { /* 'close' follows */ };
  readonly onClose = () => {
    this.ctx.conns.remove(this);
    this.exchange?.clientLeft();
  };

  /** From the sweep: closes an idle keep-alive connection, answers 408 to a head that never completes. */
  check(now: number): void {
    if (this.exchange) return;
    if (this.headSince && now - this.headSince > headersTimeoutMs) {
      this.headSince = 0;
      this.ctx.metrics.rejected('ERR_HTTP_REQUEST_TIMEOUT');
      socketError(this.socket, 'PROXY_REQUEST_TIMEOUT', 'request not received in time');
    } else if (!this.pending && now - this.lastActive > keepAliveTimeoutMs) {
      this.socket.destroy();
    }
  }

  /** Reads the next request head from the pending bytes, if complete. */
  next(): void {
    const buf = this.pending;
    if (!buf) return;
    const ctx = this.ctx;
    // node:http answers what is handed off (400, 405, 431 …) or serves it (large or chunked bodies, upgrades)
    const framed = frameRequest(buf, ctx);
    if (framed.kind === 'handoff') return this.handOff(framed.reason);
    if (framed.kind === 'incomplete') {
      if (!this.headSince) this.headSince = performance.now(); // the head or the rest of the body is on its way
      return;
    }
    const { head, path, body, total } = framed;
    this.headSince = 0;
    // Writes of ownership units go through node:http's front, where the write gate holds them
    // during a switch: rare next to reads, and one place for that logic.
    if (ctx.ownsWrites && isWrite(head.method) && matchRoute({ method: head.method, path, headers: ctx.routeHeaders(head) }, ctx.table)?.unit) return this.handOff('owned-write');
    this.pending = total < buf.length ? buf.subarray(total) : undefined;
    const ex = ctx.newExchange(this, head, path, body);
    this.exchange = ex;
    ex.start();
  }

  handOff(reason: string): void {
    this.ctx.metrics.handOff(reason);
    this.ctx.conns.remove(this);
    const s = this.socket;
    s.off('data', this.onData);
    s.off('drain', this.onDrain);
    s.off('error', this.onError);
    s.off('close', this.onClose);
    s.off('end', this.onEnd);
    if (this.pending) s.unshift(this.pending);
    this.pending = undefined;
    this.ctx.handOffTo.emit('connection', s);
    s.resume();
  }

  done(ex: ConnExchange): void {
    this.exchange = undefined;
    this.lastActive = performance.now();
    if (this.socket.destroyed) return;
    if (ex.head.close || this.ended) { this.socket.end(); return; }
    if (this.socket.isPaused()) this.socket.resume();
    if (this.pending) this.next();
  }
}
