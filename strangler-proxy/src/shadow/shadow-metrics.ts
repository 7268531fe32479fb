import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { childrenOf } from '../metrics/proxy-metrics.ts';
import type { ShadowLanes } from './shadow-lanes.ts';

const maxFieldsPerRoute = 100;
const verdicts = ['match', 'mismatch', 'noise', 'lag', 'error', 'skipped'] as const;

/** Prometheus metrics for shadow traffic, on the proxy's registry. */
export const createShadowMetrics = (registry: Registry, lanes: ShadowLanes) => {
  const offers = new Counter({ name: 'ficus_proxy_shadow_offers_total', help: 'Shadow-mode requests by what happened to their copy (mirrored, sampled_out, shed, unsafe_skipped, streamed_body)', labelNames: ['route', 'outcome'], registers: [registry] });
  const comparisons = new Counter({ name: 'ficus_proxy_shadow_comparisons_total', help: 'Mirrored exchanges by verdict (match, mismatch, noise, lag, error, skipped)', labelNames: ['route', 'outcome'], registers: [registry] });
  const fields = new Counter({ name: 'ficus_proxy_shadow_field_differences_total', help: `Differences by field and class (real, noise, legacy, lag); at most ${maxFieldsPerRoute} fields per route, the rest as (other)`, labelNames: ['route', 'field', 'class'], registers: [registry] });
  const oversize = new Counter({ name: 'ficus_proxy_shadow_oversize_bodies_total', help: 'Exchanges whose body passed the capture bound (compared by sha256)', labelNames: ['route'], registers: [registry] });
  const storeDropped = new Counter({ name: 'ficus_proxy_shadow_store_dropped_total', help: 'Records or counts the store could not take (backlog full or store failing)', labelNames: ['what'], registers: [registry] });
  const duration = new Histogram({ name: 'ficus_proxy_shadow_candidate_duration_seconds', help: 'Time the candidate took to answer a shadow copy', labelNames: ['route'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry] });
  new Gauge({
    name: 'ficus_proxy_shadow_queue_depth', help: 'Shadow copies waiting for a slot, per route', labelNames: ['route'], registers: [registry],
    collect() { for (const r of lanes.routes()) this.labels(r).set(lanes.queued(r)); },
  });
  new Gauge({ name: 'ficus_proxy_shadow_in_flight', help: 'Shadow copies being sent or compared', registers: [registry], collect() { this.set(lanes.active()); } });

  const offerChild = childrenOf(offers);
  const seen = new Map<string, Set<string>>();
  const fieldLabel = (route: string, field: string) => {
    let s = seen.get(route);
    if (!s) { s = new Set(); seen.set(route, s); }
    if (s.has(field)) return field;
    if (s.size >= maxFieldsPerRoute) return '(other)';
    s.add(field);
    return field;
  };

  return {
    /** Every route's verdict counters at 0 from the start (the mismatch gates read them; see ProxyMetrics.declareRoutes). */
    declareRoutes(routes: readonly string[]): void {
      for (const route of routes) for (const outcome of verdicts) comparisons.labels(route, outcome).inc(0);
    },
    offer: (route: string, outcome: string) => offerChild(route, outcome).inc(),
    comparison: (route: string, outcome: string) => comparisons.labels(route, outcome).inc(),
    field: (route: string, field: string, cls: string) => fields.labels(route, fieldLabel(route, field), cls).inc(),
    oversize: (route: string) => oversize.labels(route).inc(),
    storeDropped: (what: 'record' | 'counts') => storeDropped.labels(what).inc(),
    candidateSeconds: (route: string, s: number) => duration.labels(route).observe(s),
  };
};
export type ShadowMetrics = ReturnType<typeof createShadowMetrics>;
