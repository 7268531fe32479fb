// The proxy's /metrics as per-route counters: read by the migration gates and the cockpit. Pure.
import { parsePrometheusText } from './prometheus-text.ts';

/** Cumulative counters of one side of one route, as the proxy exports them. */
export interface SideCounters {
  requests: number;
  errors: number;
  /** Histogram: [upper bound in seconds, cumulative count], ascending, last is +Inf. */
  buckets: Array<[number, number]>;
}

/** What the gates need from the proxy's /metrics, per route (cumulative; gates use differences). */
export interface MetricsSample {
  at: number;
  routes: Record<string, { legacy: SideCounters; service: SideCounters; shadow: Record<string, number>; candidateBuckets: Array<[number, number]> }>;
}

const emptySide = (): SideCounters => ({ requests: 0, errors: 0, buckets: [] });

/** Extracts the routes' counters from the proxy's Prometheus text. Pure. */
export const sampleFromProxyMetrics = (text: string, routes: readonly string[], at: number): MetricsSample => {
  const sample: MetricsSample = { at, routes: {} };
  for (const r of routes) sample.routes[r] = { legacy: emptySide(), service: emptySide(), shadow: {}, candidateBuckets: [] };
  for (const s of parsePrometheusText(text)) {
    const r = sample.routes[s.labels.route ?? ''];
    if (!r) continue;
    const side = s.labels.side === 'legacy' ? r.legacy : s.labels.side === 'service' ? r.service : undefined;
    if (s.name === 'ficus_proxy_requests_total' && side) {
      side.requests += s.value;
      if (s.labels.status_class === '5xx') side.errors += s.value;
    } else if (s.name === 'ficus_proxy_request_duration_seconds_bucket' && side) {
      side.buckets.push([s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value]);
    } else if (s.name === 'ficus_proxy_shadow_comparisons_total' && s.labels.outcome) {
      r.shadow[s.labels.outcome] = (r.shadow[s.labels.outcome] ?? 0) + s.value;
    } else if (s.name === 'ficus_proxy_shadow_candidate_duration_seconds_bucket') {
      r.candidateBuckets.push([s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value]);
    }
  }
  for (const r of Object.values(sample.routes)) for (const b of [r.legacy.buckets, r.service.buckets, r.candidateBuckets]) b.sort((a, b2) => a[0] - b2[0]);
  return sample;
};
