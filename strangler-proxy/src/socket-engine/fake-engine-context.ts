// Unit-test wiring for the socket engine's connection and exchange: the engine's context built from
// the package's own pieces (route table, metrics, breakers, socket pools) with fakes only for the
// flags and the shadow sink, plus a loopback socket pair standing in for a client connection.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { createLogger } from '@ficus/common/core';
import type { FlagView } from '../decision/mode.ts';
import type { FlagSource } from '../flags/flag-source.ts';
import { createUpstreams } from '../engine-shared/upstreams.ts';
import { createProxyMetrics, type ProxyMetrics } from '../metrics/proxy-metrics.ts';
import { buildRouteTable, type RouteEntry } from '../routes/load-route-table.ts';
import type { ShadowOffer, ShadowSink } from '../shadow/shadow-sink.ts';
import type { ConnectionContext } from './client-connection.ts';
import { Exchange, type ExchangeContext } from './exchange.ts';
import { headEnd, parseRequestHead, type RequestHead } from './http1-head.ts';
import { routeHeaderReader } from './route-headers.ts';
import { SlotList } from './slot-list.ts';
import { createSocketPools, type SocketPools } from './upstream-sockets.ts';

export type EngineContext = ConnectionContext & ExchangeContext & { readonly pools: SocketPools; readonly offers: ShadowOffer[] };

/** Flags as a fixed map flag → mode variant (absent: off). */
export const fixedFlags = (modes: Record<string, string>): FlagView => ({
  stale: false,
  evaluate: (flag) => (modes[flag] ? { enabled: true, variant: modes[flag] } : { enabled: false, variant: undefined }),
});

/** A whole flag source with fixed modes, ready at once (no Unleash); `onClose` sees its close. */
export const staticFlagSource = (modes: Record<string, string>, onClose: () => void = () => undefined): FlagSource => ({
  ...fixedFlags(modes), start: async () => true, ready: true, stalenessMs: () => 0, lastSyncAt: () => Date.now(), stalenessBoundMs: 30_000,
  state: () => ({ exists: true, enabled: false, mode: 'legacy' }) as unknown as ReturnType<FlagSource['state']>, close: onClose,
});

/** A node:http server that is never listened on: it only takes the connections handed to it. */
export const handOffServer = (): HttpServer & { seen: IncomingMessage[] } => {
  const seen: IncomingMessage[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(req);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.end(`node:http ${req.method} ${req.url} ${Buffer.concat(chunks).toString('latin1')}`));
  });
  return Object.assign(server, { seen });
};

export const engineContext = (o: {
  targets: Record<string, string>;
  routes?: RouteEntry[];
  modes?: Record<string, string>;
  debugHeader?: boolean;
  ownsWrites?: boolean;
  replayBodyBytes?: number;
  timeoutMs?: number;
  newExchange?: ConnectionContext['newExchange'];
}): EngineContext => {
  const table = buildRouteTable({ routes: o.routes ?? [] }, 'test', { targets: o.targets, timeoutMs: o.timeoutMs ?? 5_000 });
  const offers: ShadowOffer[] = [];
  const shadow: ShadowSink = { offer: (offer) => { offers.push(offer); return undefined; } };
  const metrics: ProxyMetrics = createProxyMetrics({ staleness: () => undefined, stale: () => false });
  const ctx: EngineContext = {
    table, flags: fixedFlags(o.modes ?? {}), owners: undefined,
    upstreams: createUpstreams({ connectionsPerTarget: 4, breaker: { failureThreshold: 2, failureRate: 0.5, windowMs: 10_000, openMs: 60_000 } }),
    pools: createSocketPools({ max: 4, idleMs: 4_000, connectTimeoutMs: 1_000 }),
    shadow, offers, metrics, log: createLogger('test', 'silent'), trustForwarded: false, sessionCookie: 'sid', userCookie: 'uid',
    debugHeader: o.debugHeader ?? false, accessLog: 'errors', identity: undefined,
    replayBodyBytes: o.replayBodyBytes ?? 64 * 1024, ownsWrites: o.ownsWrites, handOffTo: handOffServer(),
    conns: new SlotList(), routeHeaders: routeHeaderReader(table),
    newExchange: o.newExchange ?? ((conn, head, path, body) => new Exchange(ctx, conn, head, path, body)),
  };
  return ctx;
};

/** The value of one series of a proxy metric (0 when it was never touched). */
export const metricValue = async (metrics: ProxyMetrics, name: string, labels: Record<string, string>): Promise<number> => {
  const metric = metrics.registry.getSingleMetric(name);
  const values = (await metric!.get()).values as Array<{ labels: Record<string, string | number>; value: number; metricName?: string }>;
  const hit = values.find((v) => (v.metricName === undefined || v.metricName === name || v.metricName === `${name}_count`)
    && Object.entries(labels).every(([k, want]) => String(v.labels[k]) === want));
  return hit?.value ?? 0;
};

/** Two ends of one loopback TCP connection: `client` is the user's side, `server` the engine's. */
export const socketPair = async (o: { allowHalfOpen?: boolean } = {}): Promise<{ client: Socket; server: Socket }> => {
  const listener = createServer({ allowHalfOpen: o.allowHalfOpen ?? true, noDelay: true });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const accepted = new Promise<Socket>((r) => listener.once('connection', r));
  const client = connect((listener.address() as AddressInfo).port, '127.0.0.1');
  const server = await accepted;
  listener.close();
  return { client, server };
};

/** Everything a socket receives, and a way to wait for a condition on it. */
export const received = (socket: Socket) => {
  let text = '';
  let closed = false;
  const waiters: Array<() => void> = [];
  const wake = () => { for (const w of waiters.splice(0)) w(); };
  socket.on('data', (c: Buffer) => { text += c.toString('latin1'); wake(); });
  socket.on('close', () => { closed = true; wake(); });
  socket.on('error', () => {});
  return {
    get text() { return text; },
    get closed() { return closed; },
    /** Resolves once `ok()` holds; fails after `ms`. */
    until(ok: () => boolean, ms = 3_000): Promise<void> {
      if (ok()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out; received so far: ${JSON.stringify(text)}`)), ms);
        const check = () => { if (ok()) { clearTimeout(timer); resolve(); } else waiters.push(check); };
        waiters.push(check);
      });
    },
  };
};

/** A request head parsed as the engine parses it. */
export const requestHead = (text: string): RequestHead => {
  const buf = Buffer.from(text, 'latin1');
  const head = parseRequestHead(buf, buf.indexOf(headEnd));
  if (typeof head === 'string') throw new Error(`not a head the engine serves: ${head}`);
  return head;
};
