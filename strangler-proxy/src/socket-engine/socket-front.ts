import type { Server } from 'node:http';
import { createServer, type Server as NetServer } from 'node:net';
import type { Logger } from '@ficus/common/core';
import type { SessionIdentity } from '../auth/session-identity.ts';
import type { ProxyTracing } from '../engine-shared/proxy-tracing.ts';
import type { OwnerView } from '../decision/decide.ts';
import type { FlagView } from '../decision/mode.ts';
import type { Upstreams } from '../engine-shared/upstreams.ts';
import type { ProxyMetrics } from '../metrics/proxy-metrics.ts';
import type { RouteTable } from '../routes/route-table.ts';
import type { ShadowSink } from '../shadow/shadow-sink.ts';
import { ClientConnection, type ConnectionContext } from './client-connection.ts';
import { Exchange, type ExchangeContext } from './exchange.ts';
import { routeHeaderReader } from './route-headers.ts';
import { SlotList } from './slot-list.ts';
import type { SocketPools } from './upstream-sockets.ts';

export interface SocketFrontOptions {
  table: RouteTable;
  flags: FlagView;
  /** Breakers (shared with the node:http engine, which serves the connections handed to it). */
  upstreams: Upstreams;
  pools: SocketPools;
  shadow: ShadowSink;
  metrics: ProxyMetrics;
  log: Logger;
  trustForwarded: boolean;
  sessionCookie: string;
  userCookie: string;
  debugHeader: boolean;
  accessLog: 'all' | 'errors';
  /** Bodies up to this size (with a Content-Length) are served here; larger ones by node:http. */
  replayBodyBytes: number;
  /** Writes of ownership units are handed to node:http's front (its write gate). */
  ownsWrites?: boolean;
  /** Owners of units and read-your-writes pins, for reads of ownership units. */
  owners?: OwnerView;
  identity?: SessionIdentity;
  /** Spans and `traceparent` per request (undefined: tracing off). */
  tracing?: ProxyTracing | undefined;
  /** The node:http engine: takes every connection (with its unread bytes) this engine does not handle. */
  handOffTo: Server;
}

const sweepMs = 100;

/**
 * The socket engine's front (decision 0010): a `net` server that reads HTTP/1.1 request heads
 * itself, decides with the same pure `decide`, and relays bytes between the client's socket and a
 * pooled keep-alive backend socket: no IncomingMessage, ServerResponse or undici objects per
 * request. Requests outside its strict subset (bodies, upgrades, HTTP/1.0, anything unusual or
 * malformed) hand the whole connection, unread bytes included, to the node:http engine, which
 * then answers them exactly as it does on its own. Connections are `ClientConnection`s
 * (client-connection.ts), requests `Exchange`s (exchange.ts); this wires them and runs the sweep.
 */
export const createSocketFront = (o: SocketFrontOptions): NetServer => {
  // PERF: one sweep instead of a timer per request and per socket (created, refreshed on every
  // read and write, cleared): route timeouts fire up to sweepMs late, which they can afford.
  // PERF/GC: the sweep finds exchanges through their connection (at most one each), and connections
  // sit in a SlotList, not a Set: a Set churned per request made V8 rebuild its table over and over,
  // and each discarded table points to its successor. Once one had been promoted, every later table
  // and the exchanges in it survived young-generation GCs: about a fifth of all allocation went to
  // the old generation, scavenges took 10-20 ms and RSS grew to ~330 MB (decision 0012).
  const conns = new SlotList<ClientConnection>();
  const ctx: ConnectionContext & ExchangeContext = {
    table: o.table, flags: o.flags, owners: o.owners, upstreams: o.upstreams, pools: o.pools, shadow: o.shadow,
    metrics: o.metrics, log: o.log, trustForwarded: o.trustForwarded, sessionCookie: o.sessionCookie,
    userCookie: o.userCookie, debugHeader: o.debugHeader, accessLog: o.accessLog, identity: o.identity, tracing: o.tracing,
    replayBodyBytes: o.replayBodyBytes, ownsWrites: o.ownsWrites, handOffTo: o.handOffTo, conns,
    routeHeaders: routeHeaderReader(o.table),
    newExchange: (conn, head, path, body) => new Exchange(ctx, conn, head, path, body),
  };
  let sweeps = 0;
  const sweep = setInterval(() => {
    const now = performance.now();
    const idleCheck = ++sweeps % 10 === 0;
    conns.forEach((c) => {
      c.exchange?.check(now);
      if (idleCheck) c.check(now);
    });
  }, sweepMs);
  sweep.unref();
  // allowHalfOpen: a client may half-close after its request and still read the answer.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => { new ClientConnection(ctx, socket); });
  server.on('close', () => clearInterval(sweep));
  return server;
};
