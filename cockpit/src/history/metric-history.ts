// The charts' figures over time. Without a metrics server in the stack the cockpit samples the
// proxy's and the CDC's /metrics itself and keeps the differences between samples (a ring).
import { parsePrometheusText, quantileOf } from '@ficus/common/prometheus-text';
import type { MetricsSample } from '@ficus/common/proxy-metrics-sample';

type Buckets = Array<[number, number]>;

/** The CDC's /metrics, reduced: events not yet applied (all partitions) and the end-to-end lag histogram. */
export interface CdcSample { lagEvents: number; lagBuckets: Buckets }

export const cdcSampleOf = (text: string): CdcSample => {
  let lagEvents = 0;
  const buckets = new Map<number, number>();
  for (const s of parsePrometheusText(text)) {
    if (s.name === 'ficus_cdc_consumer_lag_events') lagEvents += s.value;
    else if (s.name === 'ficus_cdc_end_to_end_lag_seconds_bucket') {
      const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
      buckets.set(le, (buckets.get(le) ?? 0) + s.value);
    }
  }
  return { lagEvents, lagBuckets: [...buckets].sort((a, b) => a[0] - b[0]) };
};

export interface RoutePoint {
  /** Shadow comparisons that matched (noise and lag count as matches, as in the gates), of all compared. */
  matchRate: number | null;
  compared: number;
  requests: { legacy: number; service: number };
  errorRate: { legacy: number | null; service: number | null };
  /** p99 in ms over the interval; the service's from shadow copies while it serves nobody. */
  p99Ms: { legacy: number | null; service: number | null };
}
export interface HistoryPoint { at: number; routes: Record<string, RoutePoint>; cdc: { lagEvents: number | null; lagP99Ms: number | null } }
export interface Sample { at: number; proxy?: MetricsSample; cdc?: CdcSample }

const ms = (v: number | null) => (v === null ? null : Math.round(v * 1000 * 10) / 10);
const rate = (n: number, d: number) => (d > 0 ? n / d : null);

/** The figures between two samples (counters are cumulative; a restart that reset them gives no figure). */
export const historyPoint = (prev: Sample, cur: Sample): HistoryPoint => {
  const routes: Record<string, RoutePoint> = {};
  for (const [route, c] of Object.entries(cur.proxy?.routes ?? {})) {
    const p = prev.proxy?.routes[route];
    const d = (a: number, b: number | undefined) => Math.max(0, a - (b ?? 0));
    const outcome = (k: string) => d(c.shadow[k] ?? 0, p?.shadow[k]);
    const matched = outcome('match') + outcome('noise') + outcome('lag');
    const compared = matched + outcome('mismatch');
    const requests = { legacy: d(c.legacy.requests, p?.legacy.requests), service: d(c.service.requests, p?.service.requests) };
    const errors = { legacy: d(c.legacy.errors, p?.legacy.errors), service: d(c.service.errors, p?.service.errors) };
    const service = requests.service > 0 ? quantileOf(p?.service.buckets ?? [], c.service.buckets, 0.99) : quantileOf(p?.candidateBuckets ?? [], c.candidateBuckets, 0.99);
    routes[route] = {
      matchRate: rate(matched, compared), compared, requests,
      errorRate: { legacy: rate(errors.legacy, requests.legacy), service: rate(errors.service, requests.service) },
      p99Ms: { legacy: ms(quantileOf(p?.legacy.buckets ?? [], c.legacy.buckets, 0.99).value), service: ms(service.value) },
    };
  }
  const lag = cur.cdc ? quantileOf(prev.cdc?.lagBuckets ?? [], cur.cdc.lagBuckets, 0.99).value : null;
  return { at: cur.at, routes, cdc: { lagEvents: cur.cdc?.lagEvents ?? null, lagP99Ms: ms(lag) } };
};

/** Samples every `intervalMs` and keeps the last `points` figures. */
export const createMetricHistory = (o: { sample: () => Promise<Sample>; intervalMs: number; points: number; onError?: (e: unknown) => void }) => {
  const ring: HistoryPoint[] = [];
  let last: Sample | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const tick = async () => {
    const s = await o.sample();
    if (last) { ring.push(historyPoint(last, s)); if (ring.length > o.points) ring.splice(0, ring.length - o.points); }
    last = s;
  };
  const step = () => { running ??= tick().catch((e: unknown) => o.onError?.(e)).finally(() => { running = undefined; }); return running; };
  return {
    start() { void step(); timer = setInterval(() => void step(), o.intervalMs); timer.unref(); },
    /** One sample now (tests, and a first point without waiting a whole interval). */
    sampleNow: step,
    points: (): readonly HistoryPoint[] => ring,
    stop() { clearInterval(timer); return running ?? Promise.resolve(); },
  };
};
export type MetricHistory = ReturnType<typeof createMetricHistory>;
