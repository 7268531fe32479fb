import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { collectProcessMetrics } from '@ficus/common/process-metrics';
import type { BreakerState } from '../engine-shared/circuit-breaker.ts';

export type ServedSide = 'legacy' | 'service' | 'none';

/** Per (route, side) children, cached so the hot path does no label hashing. */
interface SeriesSet {
  duration: ReturnType<Histogram['labels']>;
  byClass: Array<ReturnType<Counter['labels']>>;
}

const classes = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
/** Why a request went back to legacy (both engines). */
export const fallbackReasons = ['service-5xx', 'service-timeout', 'service-error', 'circuit-open'] as const;
export type FallbackReason = (typeof fallbackReasons)[number];

/** The proxy's Prometheus metrics; one registry per proxy instance (tests run several). */
/**
 * PERF: `counter.labels(a, b)` hashes its label values on every call; per-request counters keep
 * their children in a Map instead (label sets are few: routes × outcomes).
 */
export const childrenOf = <T>(metric: { labels(...values: string[]): T }) => {
  const children = new Map<string, T>();
  return (a: string, b: string): T => {
    const key = `${a}\u0000${b}`;
    let c = children.get(key);
    if (!c) children.set(key, (c = metric.labels(a, b)));
    return c;
  };
};

export const createProxyMetrics = (o: { staleness: () => number | undefined; stale: () => boolean; defaultMetrics?: boolean }) => {
  const registry = new Registry();
  if (o.defaultMetrics) collectProcessMetrics(registry, 'ficus_proxy_');
  const requests = new Counter({ name: 'ficus_proxy_requests_total', help: 'Requests answered, by route, side that served and status class', labelNames: ['route', 'side', 'status_class'], registers: [registry] });
  const duration = new Histogram({
    name: 'ficus_proxy_request_duration_seconds', help: 'Time to the end of the response, by route and side', labelNames: ['route', 'side'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const fallbacks = new Counter({ name: 'ficus_proxy_fallbacks_total', help: 'Requests retried on legacy after the service failed or its breaker was open', labelNames: ['route', 'reason'], registers: [registry] });
  const breaker = new Gauge({ name: 'ficus_proxy_breaker_state', help: 'Circuit breaker per backend: 0 closed, 1 open, 2 half-open', labelNames: ['target'], registers: [registry] });
  const rejected = new Counter({ name: 'ficus_proxy_rejected_requests_total', help: 'Malformed or unsupported requests refused before any backend', labelNames: ['reason'], registers: [registry] });
  const shadow = new Counter({ name: 'ficus_proxy_shadow_requests_total', help: 'Shadow copies by route and outcome (sent, dropped, failed)', labelNames: ['route', 'outcome'], registers: [registry] });
  const handOffs = new Counter({ name: 'ficus_proxy_engine_handoffs_total', help: 'Connections the socket engine handed to the node:http engine, by the first request\'s reason (body, upgrade, method, version, header, host, target, size)', labelNames: ['reason'], registers: [registry] });
  const writeHolds = new Histogram({
    name: 'ficus_proxy_write_hold_seconds', help: 'Time writes of ownership units waited at the proxy during a switch (or while ownership could not be read), by unit and outcome (released, refused)',
    labelNames: ['unit', 'outcome'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers: [registry],
  });
  const overrides = new Counter({ name: 'ficus_proxy_ownership_overrides_total', help: "Writes sent to their unit's owner although the route's flag said otherwise (the flag disagrees with write ownership)", labelNames: ['route'], registers: [registry] });
  const pinnedReads = new Counter({ name: 'ficus_proxy_read_your_writes_total', help: 'Reads sent to the side that took the same user\'s recent write (the sync had not confirmed it on the flag\'s side yet)', labelNames: ['route'], registers: [registry] });
  const pins = new Histogram({
    name: 'ficus_proxy_read_pin_seconds', help: 'How long a user\'s reads stayed with the side of their write, by unit and how it ended (applied: the CDC confirmed the position; expired: the window ran out)',
    labelNames: ['unit', 'how'], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers: [registry],
  });
  const upgrades = new Counter({ name: 'ficus_proxy_upgrades_total', help: 'WebSocket upgrades passed through, by route and side', labelNames: ['route', 'side'], registers: [registry] });
  new Gauge({
    name: 'ficus_proxy_flag_staleness_seconds', help: 'Seconds since the last successful answer from Unleash (-1: never)', registers: [registry],
    collect() { const s = o.staleness(); this.set(s === undefined ? -1 : s / 1000); },
  });
  new Gauge({
    name: 'ficus_proxy_flags_stale', help: '1 while flag state is older than the staleness bound (routes on safe targets)', registers: [registry],
    collect() { this.set(o.stale() ? 1 : 0); },
  });

  const shadowChild = childrenOf(shadow);
  const series = new Map<string, SeriesSet>();
  const seriesFor = (route: string, side: ServedSide): SeriesSet => {
    const key = `${route}\u0000${side}`;
    let s = series.get(key);
    if (!s) {
      s = { duration: duration.labels(route, side), byClass: classes.map((c) => requests.labels(route, side, c)) };
      series.set(key, s);
    }
    return s;
  };

  return {
    registry,
    /**
     * Every route's gate series at 0 from the start (requests by side and status class, durations,
     * fallbacks by reason): a metrics server then sees a step's first errors as an increase of a
     * series it already has, not as a new series whose first value `increase()` cannot count and
     * which it makes searchable only seconds later (decision 0022).
     */
    declareRoutes(routes: readonly string[]): void {
      // prom-client makes a series on its first inc/observe: inc(0) and zero() make them now
      for (const route of routes) {
        for (const side of ['legacy', 'service'] as const) {
          for (const c of seriesFor(route, side).byClass) c.inc(0);
          duration.zero({ route, side });
        }
        for (const reason of fallbackReasons) fallbacks.labels(route, reason).inc(0);
      }
    },
    observe(route: string, side: ServedSide, status: number, seconds: number): void {
      const s = seriesFor(route, side);
      s.duration.observe(seconds);
      const c = Math.min(Math.max(Math.floor(status / 100), 1), 5) - 1;
      s.byClass[c]!.inc();
    },
    fallback: (route: string, reason: FallbackReason) => fallbacks.labels(route, reason).inc(),
    breakerState: (target: string, state: BreakerState) => breaker.labels(target).set(state === 'closed' ? 0 : state === 'open' ? 1 : 2),
    rejected: (reason: string) => rejected.labels(reason).inc(),
    shadow: (route: string, outcome: 'sent' | 'dropped' | 'failed') => shadowChild(route, outcome).inc(),
    handOff: (reason: string) => handOffs.labels(reason).inc(),
    writeHeld: (unit: string, seconds: number, outcome: 'released' | 'refused') => writeHolds.labels(unit, outcome).observe(seconds),
    ownershipOverride: (route: string) => overrides.labels(route).inc(),
    readPinned: (route: string) => pinnedReads.labels(route).inc(),
    pinEnded: (unit: string, seconds: number, how: 'applied' | 'expired') => pins.labels(unit, how).observe(seconds),
    upgrade: (route: string, side: ServedSide) => upgrades.labels(route, side).inc(),
  };
};
export type ProxyMetrics = ReturnType<typeof createProxyMetrics>;
