import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '@ficus/common/core';
import { decide, type OwnerView } from '../decision/decide.ts';
import type { FlagView } from '../decision/mode.ts';
import { proxyErrorCodes, type ProxyErrorCode } from '../errors/proxy-error-codes.ts';
import type { Exchange, Forwarder } from './forwarder.ts';
import { withServiceIdentity } from '../engine-shared/exchange-common.ts';
import { upstreamHeaders } from '../engine-shared/hop-by-hop.ts';
import { socketError } from '../engine-shared/socket-error.ts';
import type { ProxyMetrics } from '../metrics/proxy-metrics.ts';
import { proxiedMethods } from '../routes/load-route-table.ts';
import type { RouteTable } from '../routes/route-table.ts';
import { cookieValue, requestIdOf, splitTarget } from '../engine-shared/request-identity.ts';
import type { UpgradeHandler } from './upgrade-handler.ts';
import type { SessionIdentity } from '../auth/session-identity.ts';
import type { WriteGate } from '../ownership/write-gate.ts';
import type { ReadYourWrites } from '../ownership/read-your-writes.ts';
import type { ProxyTracing, Traced } from '../engine-shared/proxy-tracing.ts';

export interface ProxyFrontOptions {
  table: RouteTable;
  flags: FlagView;
  forwarder: Forwarder;
  upgrades: UpgradeHandler;
  metrics: ProxyMetrics;
  log: Logger;
  trustForwarded: boolean;
  sessionCookie: string;
  userCookie: string;
  replayBodyBytes: number;
  /** Signs the monolith session into x-ficus-user for requests that go to a service. */
  identity?: SessionIdentity;
  /** Admits writes of ownership units (held during a switch, sent to the owner). */
  writeGate?: WriteGate;
  /** Who owns each unit, and where a user's reads go right after their own write. */
  owners?: OwnerView;
  readYourWrites?: ReadYourWrites;
  /** Spans and `traceparent` per request (undefined: tracing off). */
  tracing?: ProxyTracing | undefined;
}

/**
 * SECURITY: the methods never forwarded. CONNECT would make the proxy a tunnel; TRACE would echo
 * the request to the client, the signed user header the proxy adds included. Every other method
 * Node's parser knows is forwarded, as nginx and Envoy do (WebDAV's PROPFIND, QUERY, …); a token it
 * does not know (IIS's TRACK among them) is its 400, in both engines.
 */
const refusedMethods: ReadonlySet<string> = new Set(['CONNECT', 'TRACE']);
const allowHeader = proxiedMethods.join(', ');

/** How many times a header appears in a raw `[name, value, …]` list. */
const countHeader = (raw: readonly string[], lowerName: string): number => {
  let n = 0;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === lowerName.length && raw[i]!.toLowerCase() === lowerName) n += 1;
  return n;
};

/**
 * Only a WebSocket upgrade is an upgrade here. Any other offer (curl's `Upgrade: h2c` on plain
 * http, say) is served as the plain request it also is: the offer is dropped (hop-by-hop) and the
 * client gets the backend's ordinary answer, as it would directly.
 */
export const isWebSocketUpgrade = (req: IncomingMessage): boolean =>
  (req.headers.upgrade ?? '').split(',').some((t) => t.trim().toLowerCase() === 'websocket');

const refuse = (res: ServerResponse, requestId: string, code: ProxyErrorCode, message: string, headers: Record<string, string> = {}) => {
  const body = JSON.stringify({ error: { code, message, requestId } });
  res.writeHead(proxyErrorCodes[code].status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), connection: 'close', ...headers });
  res.end(body);
};

/**
 * The user-facing server: plain `node:http` (no framework on the hot path). Malformed requests are
 * answered here and never reach a backend; the rest are decided and handed to the forwarder.
 */
export const createProxyFront = (o: ProxyFrontOptions): Server => {
  const forward = (ex: Exchange) =>
    withServiceIdentity(o.identity, o.sessionCookie, ex.decision, ex.req.headers.cookie, ex.headers, () => o.forwarder.start(ex));
  const decideFor = (req: IncomingMessage, path: string) => {
    const cookie = req.headers.cookie;
    const d = decide({ method: req.method!, path, headers: req.headers, userId: cookieValue(cookie, o.userCookie), sessionId: cookieValue(cookie, o.sessionCookie) }, o.flags, o.table, o.owners);
    if (d.reason === 'read-your-writes') o.metrics.readPinned(d.routeId);
    return d;
  };
  // A write of an ownership unit passes the write gate: at once while the unit is steady, after the
  // hold while it switches (decided again then: the owner may have changed), else a retriable 503.
  const warned = new Map<string, number>();
  const start = (ex: Exchange) => {
    const unit = ex.decision.writeUnit;
    if (!unit || !o.writeGate) return forward(ex);
    if (ex.decision.reason === 'ownership') {
      o.metrics.ownershipOverride(ex.decision.routeId);
      const now = Date.now();
      if (now - (warned.get(ex.decision.routeId) ?? 0) > 60_000) {
        warned.set(ex.decision.routeId, now);
        o.log.warn({ route: ex.decision.routeId, unit, owner: o.writeGate.owner(unit) }, `the flag of route ${ex.decision.routeId} disagrees with write ownership: its writes go to the owner of unit ${unit}; move writes with \`ficus migrate\` (once a minute per route)`);
      }
    }
    o.writeGate.admit(unit, (leave) => {
      ex.res.once('close', leave);
      if (ex.clientGone || ex.res.destroyed) return leave();
      const d = decideFor(ex.req, splitTarget(ex.req.url)!.path);
      (ex as { decision: Exchange['decision'] }).decision = d;
      if (o.readYourWrites && d.route) {
        const ryw = o.readYourWrites;
        const route = d.route;
        ex.res.once('finish', () => {
          if (ex.res.statusCode >= 500 || ex.served === 'none') return;
          const cookie = ex.req.headers.cookie;
          // the sync that carries the write to the other side: the service's domain, or back to legacy
          ryw.noteWrite(unit, cookieValue(cookie, o.userCookie) ?? cookieValue(cookie, o.sessionCookie), d.primary, d.primary === 'legacy' ? route.serviceTargetName : 'legacy');
        });
      }
      forward(ex);
    }, (why) => refuse(ex.res, ex.requestId, 'PROXY_WRITES_HELD',
      why === 'held' ? `unit ${unit} is switching owner: nothing was written, try again` : 'write ownership cannot be read right now: nothing was written, try again',
      { 'retry-after': '1', 'cache-control': 'no-store' }));
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method!;
    const requestId = requestIdOf(req.headers['x-request-id'], randomUUID);
    if (refusedMethods.has(method)) {
      o.metrics.rejected('method');
      return refuse(res, requestId, 'PROXY_METHOD_NOT_ALLOWED', `method ${method} is not forwarded`, { allow: allowHeader });
    }
    // Node keeps the first of several Host headers; a backend may read another. The client's error.
    if (countHeader(req.rawHeaders, 'host') > 1) {
      o.metrics.rejected('host');
      return refuse(res, requestId, 'PROXY_BAD_REQUEST', 'a request carries exactly one Host header');
    }
    const target = splitTarget(req.url);
    if (!target) {
      o.metrics.rejected('target');
      return refuse(res, requestId, 'PROXY_BAD_REQUEST', 'expected an origin-form request target without dot segments');
    }
    const decision = decideFor(req, target.path);
    res.sendDate = false; // the backend's Date (or none) goes through unchanged
    const traced: Traced = { span: undefined, traceparent: undefined };
    if (o.tracing) {
      const tp = req.headers.traceparent;
      const ts = req.headers.tracestate;
      o.tracing.begin(traced, typeof tp === 'string' ? tp : undefined, typeof ts === 'string' ? ts : undefined, method, req.url!, decision, requestId);
    }
    const ex: Exchange = {
      req, res, decision, requestId, method, url: req.url!,
      headers: upstreamHeaders(req.rawHeaders, { requestId, clientAddress: req.socket.remoteAddress ?? '', trustForwarded: o.trustForwarded, traceparent: traced.traceparent }),
      started: performance.now(),
      body: null, served: 'none', fallback: undefined, error: undefined, clientGone: false, abortUpstream: undefined, primaryTap: undefined,
      span: traced.span, traceparent: traced.traceparent,
    };
    const te = req.headers['transfer-encoding'];
    const cl = req.headers['content-length'];
    if (te === undefined && (cl === undefined || cl === '0')) return start(ex);
    const length = cl === undefined ? Infinity : Number(cl);
    if (te !== undefined || length > o.replayBodyBytes) {
      ex.body = undefined; // streamed: not replayable, not mirrored
      return start(ex);
    }
    // SECURITY: only bodies up to replayBodyBytes with a declared length are held whole.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.once('end', () => {
      ex.body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      start(ex);
    });
    req.once('error', () => res.destroy());
  };

  const server = createServer({
    // Node's parser (llhttp, strict mode) refuses conflicting Content-Length/Transfer-Encoding,
    // invalid header characters and oversized headers before any of our code runs.
    maxHeaderSize: 16 * 1024,
    requireHostHeader: true,
    insecureHTTPParser: false,
    shouldUpgradeCallback: isWebSocketUpgrade,
    keepAliveTimeout: 65_000,
    headersTimeout: 20_000,
    requestTimeout: 120_000,
  }, onRequest);

  server.on('clientError', (err: Error & { code?: string }, socket: Duplex) => {
    const code = err.code ?? '';
    o.metrics.rejected(code || 'client-error');
    if (code === 'ECONNRESET' || !socket.writable) { socket.destroy(); return; }
    if (code === 'HPE_HEADER_OVERFLOW') return socketError(socket, 'PROXY_HEADERS_TOO_LARGE', 'request headers are too large');
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return socketError(socket, 'PROXY_REQUEST_TIMEOUT', 'request not received in time');
    o.log.debug({ code, reason: (err as { reason?: string }).reason }, 'malformed request refused');
    socketError(socket, 'PROXY_BAD_REQUEST', `malformed request (${code || 'parse error'})`);
  });
  // CONNECT would turn the proxy into a tunnel: refuse it.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    o.metrics.rejected('method');
    socketError(socket, 'PROXY_METHOD_NOT_ALLOWED', 'method CONNECT is not forwarded', `Allow: ${allowHeader}\r\n`);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = splitTarget(req.url);
    if (req.method !== 'GET' || !target) {
      o.metrics.rejected('upgrade');
      return socketError(socket, 'PROXY_BAD_REQUEST', 'upgrades need GET and an origin-form target');
    }
    const cookie = req.headers.cookie;
    const decision = decide({ method: 'GET', path: target.path, headers: req.headers, userId: cookieValue(cookie, o.userCookie), sessionId: cookieValue(cookie, o.sessionCookie) }, o.flags, o.table, o.owners);
    const requestId = requestIdOf(req.headers['x-request-id'], randomUUID);
    o.upgrades.handle(req, socket, head, decision, requestId);
  });
  return server;
};
