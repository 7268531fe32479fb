import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import { expressErrorHandler, notFoundHandler, type Logger } from '@ficus/common/core';
import type { FlagSource } from '../flags/flag-source.ts';
import type { Upstreams } from '../engine-shared/upstreams.ts';
import type { ProxyMetrics } from '../metrics/proxy-metrics.ts';
import type { RouteTable } from '../routes/route-table.ts';
import type { ShadowRuntime } from '../shadow/create-shadow.ts';
import { createShadowAdminRouter } from './shadow-admin-router.ts';
import type { WriteGate } from '../ownership/write-gate.ts';
import { routeWrites } from '../decision/decide.ts';

export interface AdminAppOptions {
  token: string;
  table: RouteTable;
  flags: FlagSource;
  upstreams: Upstreams;
  metrics: ProxyMetrics;
  log: Logger;
  /** Shadow comparison results (reports, web page, replay) under /shadow. */
  shadow?: ShadowRuntime;
  /** Write ownership as this proxy follows it. */
  writeGate?: WriteGate;
  /** True once the proxy listens and has flag state. */
  isReady: () => boolean;
}

/** SECURITY: constant-time comparison, so the token cannot be guessed byte by byte from timings. */
const bearer = (token: string): RequestHandler => {
  const expected = Buffer.from(`Bearer ${token}`);
  return (req, res, next) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    res.status(401).set('www-authenticate', 'Bearer realm="ficus-proxy-admin"').json({
      error: { code: 'ADMIN_UNAUTHORIZED', message: 'expected Authorization: Bearer <FICUS_PROXY_ADMIN_TOKEN>', requestId: String(req.headers['x-request-id'] ?? '') },
    });
  };
};

/** One row per route: the table entry, its flag's state, and what the proxy does with it now. */
export const routeStates = (table: RouteTable, flags: FlagSource, gate?: WriteGate) => {
  const stale = flags.stale;
  return table.routes.map((r) => {
    const f = flags.state(r.flag);
    const flagSide = stale ? r.safe : f.mode === 'service' || f.mode === 'canary' ? 'service' : 'legacy';
    const unit = routeWrites(r) ? r.unit : undefined;
    const unitState = unit ? gate?.state(unit) : undefined;
    const owner = unit ? (gate?.owner(unit) ?? 'legacy') : null;
    return {
      id: r.id,
      methods: r.methods ? [...r.methods] : ['*'],
      path: r.path,
      header: r.header ?? null,
      legacy: r.legacyTargetName,
      service: r.serviceTargetName,
      flag: r.flag,
      flagExists: f.exists,
      flagEnabled: f.enabled,
      mode: f.mode,
      percent: f.percent,
      problem: f.problem ?? null,
      safe: r.safe,
      fallbackToLegacy: r.fallbackToLegacy,
      timeoutMs: r.timeoutMs,
      /** Ownership unit whose tables the route writes, its owner (where writes go) and whether a switch holds them. */
      unit: unit ?? null,
      owner,
      ownerState: unit ? (unitState?.state ?? 'steady') : null,
      /** The flag would send writes elsewhere (or canary/shadow): not obeyed for writes, only for reads. */
      flagDisagrees: owner !== null && (flagSide !== owner || (!stale && (f.mode === 'canary' || f.mode === 'shadow'))),
      /** What requests get now: the flag's mode, or the safe target while flag state is stale. */
      effective: stale ? `${r.safe} (stale flags)` : f.mode === 'canary' || f.mode === 'shadow' ? `${f.mode} ${f.percent}%` : f.mode,
    };
  });
};

export const flagStatus = (flags: FlagSource) => {
  const lastSync = flags.lastSyncAt();
  return {
    ready: flags.ready,
    stale: flags.stale,
    stalenessMs: flags.stalenessMs() ?? null,
    stalenessBoundMs: flags.stalenessBoundMs,
    lastSyncAt: lastSync === undefined ? null : new Date(lastSync).toISOString(),
  };
};

/** The admin API (its own port): Express is fine here, nothing on this side is hot. */
export const createAdminApp = (o: AdminAppOptions): Express => {
  const app = express();
  app.disable('x-powered-by');
  app.use(bearer(o.token));
  app.get('/health', (_req, res) => { res.json({ status: 'ok' }); });
  app.get('/ready', (_req, res) => {
    const ready = o.isReady();
    res.status(ready ? 200 : 503).json({ ready, flags: flagStatus(o.flags) });
  });
  app.get('/flags', (_req, res) => { res.json(flagStatus(o.flags)); });
  app.get('/routes', (_req, res) => {
    res.json({ flags: flagStatus(o.flags), unmatched: 'legacy', routes: routeStates(o.table, o.flags, o.writeGate) });
  });
  app.get('/breakers', (_req, res) => { res.json(o.upstreams.breakerStates()); });
  app.get('/metrics', async (_req, res) => {
    res.set('content-type', o.metrics.registry.contentType).send(await o.metrics.registry.metrics());
  });
  if (o.shadow) app.use('/shadow', createShadowAdminRouter(o.shadow));
  app.use(notFoundHandler);
  app.use(expressErrorHandler(o.log));
  return app;
};
