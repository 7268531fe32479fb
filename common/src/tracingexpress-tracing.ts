import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Request, RequestHandler } from 'express';
import { activeTracing } from './start-tracing.ts';

const routeOf = (req: Request): string | undefined => {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : undefined;
};

/**
 * A server span per request, child of the caller's `traceparent`, active for everything the
 * request's handlers do (database queries, outgoing fetch, Temporal calls). Named by method and
 * route once routed (`POST /api/orders`); carries the request id. Does nothing with tracing off.
 * Mount it after `requestId()`.
 */
export const traceRequests = (): RequestHandler => (req, res, next) => {
  const tracing = activeTracing();
  if (!tracing) return next();
  const parent = propagation.extract(ROOT_CONTEXT, req.headers);
  const span = tracing.tracer.startSpan(req.method, {
    kind: SpanKind.SERVER,
    attributes: {
      'http.request.method': req.method,
      'url.path': req.path,
      'ficus.request_id': String(req.headers['x-request-id'] ?? ''),
    },
  }, parent);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const route = routeOf(req);
    if (route) {
      span.updateName(`${req.method} ${route}`);
      span.setAttribute('http.route', route);
    }
    span.setAttribute('http.response.status_code', res.statusCode);
    if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    if (!res.writableFinished) span.setAttribute('ficus.client_gone', true);
    span.end();
  };
  res.once('finish', end);
  res.once('close', end);
  context.with(trace.setSpan(parent, span), next);
};
