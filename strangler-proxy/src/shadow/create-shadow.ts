import type { Registry } from 'prom-client';
import pRetry from 'p-retry';
import { FicusError, mariadbUnreachable, type Logger } from '@ficus/common/core';
import type { Upstreams } from '../engine-shared/upstreams.ts';
import type { ProxyMetrics } from '../metrics/proxy-metrics.ts';
import type { RouteTable } from '../routes/route-table.ts';
import { createFakeShadowStore } from './fake-shadow-store.ts';
import { createKnexShadowStore, applyShadowSchema } from './knex-shadow-store.ts';
import type { CopyTransport } from './copy-transport.ts';
import { createMirroringShadowSink } from './mirroring-shadow-sink.ts';
import { createShadowComparator, type ShadowSyncCheck } from './shadow-comparator.ts';
import { createCdcSyncCheck } from './cdc-sync-check.ts';
import { createLoadGuard } from './load-guard.ts';
import type { ShadowConfig } from './shadow-config.ts';
import { createShadowLanes } from './shadow-lanes.ts';
import { createShadowMetrics } from './shadow-metrics.ts';
import { createShadowRecorder } from './shadow-recorder.ts';
import { createShadowReplay } from './shadow-replay.ts';
import { buildShadowRules, loadShadowRules, type ShadowRules, type ShadowRulesInput } from './shadow-rules.ts';
import type { ShadowResult } from './shadow-sink.ts';
import type { ShadowStore } from './shadow-store-type.ts';
import { startShadowRetention } from './shadow-retention.ts';

/** What a caller (tests, main) may choose; everything else comes from the config. */
export interface ShadowOptions {
  /** Rules to use instead of the rules file (validated the same way). */
  rules?: ShadowRulesInput;
  /** Store to use instead of the one the config names. */
  store?: ShadowStore;
  /** Replication lag (ms) for a route's data, from the CDC pipelines, when known. */
  lagMs?: (routeId: string) => number | undefined;
  /** "Has position X been applied?" (tests pass their own; default: the CDC process the config names). */
  sync?: ShadowSyncCheck;
  /** Wait before a read-after-write retry (tests). */
  wait?: (ms: number) => Promise<void>;
  /** How often a store that did not answer at start is tried again (default 5 s). */
  storeRetryMs?: number;
}

export interface CreateShadowDeps extends ShadowOptions {
  config: Readonly<ShadowConfig>;
  table: RouteTable;
  targets: Readonly<Record<string, string>>;
  upstreams: Upstreams;
  registry: Registry;
  proxyMetrics: ProxyMetrics;
  log: Logger;
  /** Shadow copies being sent or compared at once, over all routes. */
  maxInFlight: number;
  onResult?: (r: ShadowResult) => void;
  /** How copies travel (the socket engine's own sockets); undici through `upstreams` otherwise. */
  copyTransport?: CopyTransport;
}

/** The URL without its password, for messages. */
const safeUrl = (url: string) => { const u = new URL(url); if (u.password) u.password = '***'; return u.toString(); };

/**
 * The MariaDB store the URL names, its schema applied. A refusal (password, database, grants) stops
 * the start: SHADOW_STORE_UNAVAILABLE. MariaDB not answering does not: the proxy is the front door,
 * and its users must not depend on where shadow results are kept. It serves, results are counted as
 * not stored (`ficus_proxy_shadow_store_dropped_total`) and the schema is tried again every
 * `retryMs` until MariaDB answers (decision 0022, point 7).
 */
const storeFromUrl = async (url: string, log: Logger, retryMs: number): Promise<ShadowStore> => {
  const u = new URL(url);
  // loaded only when results go to MariaDB: the in-memory choice keeps knex and mysql2 out of the proxy
  const { default: knexFactory } = await import('knex');
  const knex = knexFactory({
    client: 'mysql2',
    connection: { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), database: u.pathname.slice(1), timezone: 'Z' },
    pool: { min: 0, max: 4 },
    // knex's own console warnings (a refused connection, with its stack) go to the proxy's log instead
    log: { warn: (m: unknown) => log.debug({ knex: String(m) }, 'shadow store'), error: (m: unknown) => log.debug({ knex: String(m) }, 'shadow store'), deprecate: () => undefined, debug: () => undefined },
  });
  const store = createKnexShadowStore(knex, { destroyOnClose: true });
  try {
    // a database still starting is waited for (about 2 s), then tried again in the background
    await pRetry(() => applyShadowSchema(knex), {
      retries: 3, minTimeout: 250, factor: 2,
      shouldRetry: ({ error }) => mariadbUnreachable(error),
      onFailedAttempt: ({ error, attemptNumber }) => log.debug({ attempt: attemptNumber, err: error.message }, 'shadow store not reachable yet'),
    });
    return store;
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (mariadbUnreachable(e)) {
      log.warn({ store: safeUrl(url), err: `${err.code ?? 'error'}: ${err.message}`, retryMs },
        'the shadow store does not answer: serving anyway; shadow results are not stored (counted in ficus_proxy_shadow_store_dropped_total) until it answers');
      return storeOnceReachable(store, () => applyShadowSchema(knex), log, retryMs);
    }
    await knex.destroy().catch(() => undefined);
    throw new FicusError('SHADOW_STORE_UNAVAILABLE', `the shadow store ${safeUrl(url)} cannot be used (${err.code ?? 'error'}: ${err.message}); on the local stack \`./ficus stack up\` creates its database and user; set FICUS_PROXY_SHADOW_DB_URL to another MariaDB, or to memory to keep results in this replica only`, { cause: e });
  }
};

/**
 * The store, while its schema is applied again every `retryMs` until MariaDB answers. Writes and
 * reads go to MariaDB meanwhile and fail as they would if it went away later (the recorder counts
 * them as dropped); the noise models start empty rather than stop the start.
 */
const storeOnceReachable = (store: ShadowStore, applySchema: () => Promise<void>, log: Logger, retryMs: number): ShadowStore => {
  let ready = false;
  let closed = false;
  let refused = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async () => {
    try {
      await applySchema();
      ready = true;
      log.info('the shadow store answers: shadow results are stored from now on');
    } catch (e) {
      const refusal = !mariadbUnreachable(e);
      if (refusal && !refused) log.error({ err: (e as Error).message }, 'the shadow store answers but refuses: shadow results are not stored; fix its user or database');
      refused ||= refusal;
      if (!closed) { timer = setTimeout(() => { void attempt(); }, retryMs); timer.unref(); }
    }
  };
  timer = setTimeout(() => { void attempt(); }, retryMs);
  timer.unref();
  return {
    ...store,
    noiseModels: () => (ready ? store.noiseModels() : Promise.resolve({})),
    async close() { closed = true; clearTimeout(timer); await store.close(); },
  };
};

/** Composition root for shadow traffic: rules, store, lanes, sink, comparison, recorder, replay. */
export const createShadow = async (d: CreateShadowDeps) => {
  const routeIds = d.table.routes.map((r) => r.id);
  const rules: ShadowRules = d.rules
    ? buildShadowRules(d.rules, 'shadow rules (options)', { routeIds, targets: d.targets })
    : loadShadowRules(d.config.rulesFile, { routeIds, targets: d.targets });
  const store = d.store ?? (d.config.dbUrl ? await storeFromUrl(d.config.dbUrl, d.log, d.storeRetryMs ?? 5_000) : createFakeShadowStore());
  if (!d.store && !d.config.dbUrl) d.log.info('shadow results kept in this replica\'s memory (FICUS_PROXY_SHADOW_DB_URL=memory): lost on restart, not shared');
  // a store passed in by a caller (tests) is the caller's to prune
  const retention = d.store ? undefined : startShadowRetention(store, d.config.retention, d.log);
  const lanes = createShadowLanes(d.maxInFlight);
  const metrics = createShadowMetrics(d.registry, lanes);
  metrics.declareRoutes(routeIds);
  const recorder = createShadowRecorder({ store, metrics, log: d.log });
  const serviceOf = new Map(d.table.routes.map((r) => [r.id, r.serviceTargetName]));
  const sync = d.sync ?? (d.config.cdcUrl ? createCdcSyncCheck({ baseUrl: d.config.cdcUrl, pipelineOf: (id) => serviceOf.get(id) }) : undefined);
  const comparator = createShadowComparator({ initialNoise: await store.noiseModels(), lagMs: d.lagMs, sync, wait: d.wait });
  const guard = createLoadGuard({ from: d.config.shedFromUtilization, machineFrom: d.config.shedFromMachineCpu });
  const sink = createMirroringShadowSink({
    upstreams: d.upstreams, transport: d.copyTransport, rules, lanes, log: d.log, onResult: d.onResult, guard,
    counted: (route, outcome) => {
      recorder.counted(route, outcome);
      if (outcome === 'mirrored') d.proxyMetrics.shadow(route, 'sent');
      else if (outcome === 'shed') d.proxyMetrics.shadow(route, 'dropped');
    },
    process: async (x) => {
      const v = await comparator.compare(x);
      if ('error' in v.candidate) d.proxyMetrics.shadow(x.offer.routeId, 'failed');
      recorder.record(x, v);
    },
  });
  const services = new Map(d.table.routes.map((r) => [r.id, r.serviceTarget]));
  const replay = createShadowReplay({ store, rules, upstreams: d.upstreams, serviceTarget: (id) => services.get(id) });
  return {
    sink, rules, store, recorder, comparator, lanes, replay,
    table: d.table,
    async close() {
      const dropped = await lanes.close(2_000);
      if (dropped) d.log.info({ dropped }, 'shadow copies still queued at shutdown were dropped');
      await retention?.stop();
      await recorder.close();
      await store.close();
    },
  };
};
export type ShadowRuntime = Awaited<ReturnType<typeof createShadow>>;
