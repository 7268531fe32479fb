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

/** Histograms added bucket by bucket (same upper bounds), ascending. Pure. */
export const mergeBuckets = (lists: ReadonlyArray<ReadonlyArray<[number, number]>>): Array<[number, number]> => {
  const m = new Map<number, number>();
  for (const l of lists) for (const [le, c] of l) m.set(le, (m.get(le) ?? 0) + c);
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
};

/**
 * Several replicas' samples as one fleet's (counters and histogram buckets added, route by route),
 * taken at the latest of their times. Pure. Example: the cockpit's charts over two proxy replicas.
 */
export const mergeMetricsSamples = (samples: readonly MetricsSample[]): MetricsSample | undefined => {
  if (!samples.length) return undefined;
  const out: MetricsSample = { at: Math.max(...samples.map((x) => x.at)), routes: {} };
  const routeIds = new Set(samples.flatMap((x) => Object.keys(x.routes)));
  for (const id of routeIds) {
    const rs = samples.flatMap((x) => (x.routes[id] ? [x.routes[id]] : []));
    const side = (k: 'legacy' | 'service'): SideCounters => ({
      requests: rs.reduce((a, r) => a + r[k].requests, 0), errors: rs.reduce((a, r) => a + r[k].errors, 0), buckets: mergeBuckets(rs.map((r) => r[k].buckets)),
    });
    const shadow: Record<string, number> = {};
    for (const r of rs) for (const [k, v] of Object.entries(r.shadow)) shadow[k] = (shadow[k] ?? 0) + v;
    out.routes[id] = { legacy: side('legacy'), service: side('service'), shadow, candidateBuckets: mergeBuckets(rs.map((r) => r.candidateBuckets)) };
  }
  return out;
};
