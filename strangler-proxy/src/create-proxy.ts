import { createServer, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { createLogger, type Logger } from '@ficus/common/core';
import { createAdminApp } from './admin/admin-app.ts';
import type { ProxyConfig } from './config.ts';
import { loadFlagBootstrap, type FlagBootstrap } from './flags/flag-bootstrap.ts';
import type { FlagSource } from './flags/flag-source.ts';
import { createUnleashFlagSource } from './flags/unleash-flag-source.ts';
import { createForwarder } from './node-http-engine/forwarder.ts';
import { createUpstreams } from './engine-shared/upstreams.ts';
import { createProxyFront } from './node-http-engine/proxy-front.ts';
import { createSessionIdentity, monolithSessionLookup } from './auth/session-identity.ts';
import { createUpgradeHandler } from './node-http-engine/upgrade-handler.ts';
import { createProxyMetrics } from './metrics/proxy-metrics.ts';
import { loadRouteTable } from './routes/load-route-table.ts';
import type { RouteTable } from './routes/route-table.ts';
import { createSocketFront } from './socket-engine/socket-front.ts';
import { socketCopyTransport } from './socket-engine/copy-client.ts';
import { createSocketPools } from './socket-engine/upstream-sockets.ts';
import { createShadow, type ShadowOptions } from './shadow/create-shadow.ts';
import type { OwnershipStore } from '@ficus/common/ownership';
import { readStackEnv } from '@ficus/common/core';
import { openProxyOwnership } from './ownership/proxy-ownership-user.ts';
import { createWriteGate, type WriteGate } from './ownership/write-gate.ts';
import { followOwnership } from './ownership/ownership-follower.ts';
import { createReadYourWrites } from './ownership/read-your-writes.ts';
import { createCdcSyncCheck } from './shadow/cdc-sync-check.ts';
import type { OwnerView } from './decision/decide.ts';
import type { Tracing } from '@ficus/common/tracing';
import { createProxyTracing } from './engine-shared/proxy-tracing.ts';

/** The CDC's position API as read-your-writes asks it (by pipeline). */
const cdcPositions = (baseUrl: string) => {
  const check = createCdcSyncCheck({ baseUrl, pipelineOf: (pipeline) => pipeline });
  return { position: () => check.position('any'), waitApplied: (pipeline: string, position: string, maxWaitMs: number) => check.waitApplied(pipeline, position, maxWaitMs) };
};
import { readShadowConfig, type ShadowConfig } from './shadow/shadow-config.ts';
import type { ShadowResult, ShadowSink } from './shadow/shadow-sink.ts';

export interface CreateProxyOptions {
  config: Readonly<ProxyConfig>;
  /** Route table to use instead of `config.routesFile` (tests). */
  routeTable?: RouteTable;
  /** Flag bootstrap to use instead of `config.flagsBootstrapFile` (tests). */
  flagBootstrap?: FlagBootstrap;
  /** Flag state to use instead of the Unleash client (unit tests). */
  flags?: FlagSource;
  /** Where shadow copies go (default: sent to the service and discarded). */
  shadowSink?: ShadowSink;
  /** Receives each shadow answer when the default sink is used (before comparison). */
  onShadowResult?: (r: ShadowResult) => void;
  /** Shadow settings (default: from the environment, see shadow/shadow-config.ts) and overrides (rules, store). */
  shadowConfig?: Readonly<ShadowConfig>;
  shadow?: ShadowOptions;
  log?: Logger;
  /** The ownership store to follow (default: opened as the proxy's own MariaDB user when the route table names units). */
  ownershipStore?: OwnershipStore;
  /**
   * The process's tracing (main.ts starts it with `callerSamples`): a span per proxied request when
   * sampled, and the proxy's `traceparent` to the backend (docs/components/tracing.md). Off when absent.
   */
  tracing?: Tracing | undefined;
}

export interface Proxy {
  /** `http://host:port` users hit. */
  url: string;
  adminUrl: string;
  port: number;
  adminPort: number;
  flags: FlagSource;
  /** Admits the writes of ownership units (undefined when the route table names none). */
  writeGate: WriteGate | undefined;
  /** This replica's id in the ownership store's proxy reports. */
  proxyId: string | undefined;
  close(): Promise<void>;
}

const listen = (server: NetServer, port: number, host: string) =>
  new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

/** Closes a server and every socket it accepted, including upgraded (WebSocket) ones it no longer tracks. */
const closeServer = (server: NetServer) =>
  new Promise<void>((resolve) => {
    if (server.listening) server.close(() => resolve());
    else resolve();
    (server as Partial<Server>).closeAllConnections?.();
    for (const s of (server as NetServer & { [openSockets]?: Set<Socket> })[openSockets] ?? []) s.destroy();
  });

const openSockets = Symbol('ficus.openSockets');
const trackSockets = (server: NetServer) => {
  const set = new Set<Socket>();
  (server as NetServer & { [openSockets]?: Set<Socket> })[openSockets] = set;
  server.on('connection', (s: Socket) => { set.add(s); s.once('close', () => set.delete(s)); });
};

/**
 * The composition root: reads the route table and flag bootstrap (start fails with a precise
 * message if either is wrong), waits for flag state, then listens on the proxy and admin ports.
 */
export const createProxy = async (options: CreateProxyOptions): Promise<Proxy> => {
  const { config } = options;
  const log = options.log ?? createLogger('strangler-proxy');
  const table = options.routeTable ?? loadRouteTable(config.routesFile, { targets: config.targets, timeoutMs: config.timeoutMs });
  // What a failed start has opened is closed again, last first (a port in use, a refused ownership
  // store, a shadow store that will not open); once listening, the proxy's close() owns all of it.
  await using opened = new AsyncDisposableStack();
  const flags = options.flags ?? createUnleashFlagSource({
    url: `${config.unleash.url}/api`,
    clientToken: config.unleash.clientToken,
    appName: config.unleash.appName,
    refreshMs: config.flagRefreshMs,
    stalenessBoundMs: config.flagStalenessMs,
    bootstrap: options.flagBootstrap ?? loadFlagBootstrap(config.flagsBootstrapFile),
    log,
  });
  opened.defer(() => flags.close());
  const metrics = createProxyMetrics({ staleness: () => flags.stalenessMs(), stale: () => flags.stale, defaultMetrics: !options.routeTable });
  metrics.declareRoutes(table.routes.map((r) => r.id));
  const upstreams = createUpstreams({
    connectionsPerTarget: config.connectionsPerTarget,
    breaker: config.breaker,
    onBreakerChange: (origin, state) => {
      metrics.breakerState(origin, state);
      if (state !== 'closed') log.warn({ target: origin, state }, 'circuit breaker changed');
    },
  });
  opened.defer(() => upstreams.close());
  // The socket engine's shadow copies travel on keep-alive sockets of their own (never a primary's).
  const poolOptions = { max: config.connectionsPerTarget, idleMs: 4_000, connectTimeoutMs: 2_000 };
  const copyPools = config.engine === 'socket' ? createSocketPools(poolOptions) : undefined;
  opened.defer(() => copyPools?.close());
  const shadowSettings = options.shadowConfig ?? readShadowConfig();
  const shadowRuntime = options.shadowSink ? undefined : await createShadow({
    // an in-code route table (tests) comes without the rules file, whose route ids it does not have
    ...options.shadow, rules: options.shadow?.rules ?? (options.routeTable ? {} : undefined),
    config: shadowSettings, table, targets: config.targets, upstreams,
    registry: metrics.registry, proxyMetrics: metrics, log, maxInFlight: config.shadowMaxInFlight, onResult: options.onShadowResult,
    copyTransport: copyPools && socketCopyTransport(copyPools),
  });
  opened.defer(() => shadowRuntime?.close());
  const shadow = options.shadowSink ?? shadowRuntime!.sink;
  const forwarder = createForwarder({ upstreams, shadow, metrics, log, debugHeader: config.debugHeader, accessLog: config.accessLog });
  const identity = createSessionIdentity({
    lookup: monolithSessionLookup(config.targets.legacy ?? Object.values(config.targets)[0]!),
    secret: config.serviceAuthSecret,
    cacheMs: config.sessionCacheMs,
  });
  // Write ownership: only when some route writes an ownership unit (docs/components/write-ownership.md).
  const writeGate = table.units.length ? createWriteGate({
    maxWaitMs: config.ownership.holdMs, staleMs: config.ownership.staleMs,
    onWaited: (unit, ms, outcome) => metrics.writeHeld(unit, ms / 1000, outcome),
  }) : undefined;
  const follower = writeGate ? followOwnership({
    // as the proxy's own user, provisioned first when FICUS_PROXY_PROVISION_ON_START (decision 0018, "Proxy")
    store: options.ownershipStore ?? await openProxyOwnership(readStackEnv(), { login: config.ownership.login, database: config.ownership.database, provisionOnStart: config.ownership.provisionOnStart }, log),
    gate: writeGate, log, pollMs: config.ownership.pollMs,
  }) : undefined;
  opened.defer(() => follower?.stop());
  await follower?.start();
  const readYourWrites = writeGate ? createReadYourWrites({
    windowMs: config.ownership.readPinMs,
    cdc: shadowSettings.cdcUrl ? cdcPositions(shadowSettings.cdcUrl) : undefined,
    onUnpinned: (unit, ms, how) => metrics.pinEnded(unit, ms / 1000, how),
  }) : undefined;
  const owners: OwnerView | undefined = writeGate && readYourWrites ? { owner: (u) => writeGate.owner(u), pinned: (u, user) => readYourWrites.pinned(u, user) } : undefined;
  const tracing = options.tracing && createProxyTracing(options.tracing.tracer, options.tracing.config.sampleRatio);
  const front = createProxyFront({
    table, flags, forwarder, metrics, log, writeGate, owners, readYourWrites, tracing,
    upgrades: createUpgradeHandler({ log, metrics, trustForwarded: config.trustForwarded }),
    trustForwarded: config.trustForwarded,
    sessionCookie: config.sessionCookie,
    userCookie: config.userCookie,
    replayBodyBytes: config.replayBodyBytes,
    identity,
  });
  trackSockets(front);
  // The socket engine listens and hands every connection it does not serve to the node:http front.
  const pools = config.engine === 'socket' ? createSocketPools(poolOptions) : undefined;
  opened.defer(() => pools?.close());
  const listener: NetServer = pools
    ? createSocketFront({
      table, flags, upstreams, pools, shadow, metrics, log, handOffTo: front,
      trustForwarded: config.trustForwarded, sessionCookie: config.sessionCookie, userCookie: config.userCookie,
      debugHeader: config.debugHeader, accessLog: config.accessLog, replayBodyBytes: config.replayBodyBytes, identity, ownsWrites: !!writeGate, owners, tracing,
    })
    : front;
  if (pools) trackSockets(listener);
  let listening = false;
  const admin = createServer(createAdminApp({ token: config.adminToken, table, flags, upstreams, metrics, log, shadow: shadowRuntime, writeGate, isReady: () => listening && flags.ready }));

  const gotFlags = await flags.start(config.flagsReadyTimeoutMs);
  if (!gotFlags) log.warn({ timeoutMs: config.flagsReadyTimeoutMs }, 'no flag state yet: routes go to their safe targets until Unleash answers');
  opened.defer(() => closeServer(admin));
  const adminPort = await listen(admin, config.adminPort, config.host);
  const port = await listen(listener, config.port, config.host);
  opened.move();
  listening = true;
  log.info({ port, adminPort, engine: config.engine, routes: table.routes.length, flags: table.flags.length }, 'strangler proxy listening');
  return {
    url: `http://${config.host}:${port}`,
    adminUrl: `http://${config.host}:${adminPort}`,
    port,
    adminPort,
    flags,
    writeGate,
    proxyId: follower?.proxyId,
    async close() {
      listening = false;
      await follower?.stop();
      await Promise.all([closeServer(listener), closeServer(front), closeServer(admin)]);
      pools?.close();
      flags.close();
      await shadowRuntime?.close();
      copyPools?.close();
      await upstreams.close();
    },
  };
};
