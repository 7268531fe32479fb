import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics } from '../metrics/process-metrics.ts';

export interface HttpMetrics {
  registry: Registry;
  middleware: RequestHandler;
}

/**
 * A registry per app (never the global one, so several apps can live in one test process) with
 * process metrics and `http_requests_total` / `http_request_duration_seconds` by method, route
 * pattern and status. The route label is the Express pattern (`/api/products/:id`), never the raw
 * path, so ids do not explode the label set.
 */
export const createHttpMetrics = (service: string, { defaultMetrics = true }: { defaultMetrics?: boolean } = {}): HttpMetrics => {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (defaultMetrics) collectProcessMetrics(registry);
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request duration', labelNames, registers: [registry],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      const labels = { method: req.method, route, status: String(res.statusCode) };
      requests.inc(labels);
      end(labels);
    });
    next();
  };
  return { registry, middleware };
};
