import express, { type Express, type Router } from 'express';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { requestId } from './request-id.ts';
import { traceRequests } from '../tracing/express-tracing.ts';
import { traceKnex } from '../tracing/knex-tracing.ts';
import { accessLog } from './access-log.ts';
import { opsRouter } from './ops-router.ts';
import type { HttpMetrics } from './http-metrics.ts';
import { callerFromSignedHeader, requireServiceIdentity } from '../auth/user-middleware.ts';
import { expressErrorHandler, notFoundHandler } from '../errors/express-error-handler.ts';

export interface ServiceAppOptions {
  log: Logger;
  knex: Knex;
  metrics: HttpMetrics;
  /** Secrets that verify `x-ficus-user` (the current one first). */
  authSecrets: readonly string[];
  routers: Router[];
  clock?: () => number;
}

/**
 * The shared shell of every extracted service, in the monolith's order: request id, the server span
 * (with tracing on: docs/components/tracing.md; the knex pool's queries get spans too), metrics,
 * access log, JSON body (100 kB, like the monolith), ops routes, caller from the signed header,
 * the service-identity guard on `/internal`, the service's routers, then the monolith's 404 and
 * error shapes.
 */
export const createServiceApp = (o: ServiceAppOptions): Express => {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(requestId());
  app.use(traceRequests());
  traceKnex(o.knex);
  app.use(o.metrics.middleware);
  app.use(accessLog(o.log));
  app.use(express.json({ limit: '100kb' }));
  app.use(opsRouter(o.knex, o.metrics.registry));
  app.use(callerFromSignedHeader(o.authSecrets, o.clock));
  // SECURITY: one guard for the whole prefix, so an internal handler cannot be added unguarded
  app.use('/internal', requireServiceIdentity);
  for (const r of o.routers) app.use(r);
  app.use(notFoundHandler);
  app.use(expressErrorHandler(o.log));
  return app;
};
