// The PromQL the metric gates ask the metrics server (every proxy replica's series), with defaults
// a declaration may override per gate (gate-query-schema.ts). Pure, no imports: the workflow renders
// them (deterministic string work) and the queryGateMetrics activity only runs them.

type Phase = 'shadow' | 'canary';

// Every selector ends with `$selector`: the declaration's `gates.metrics.selector` (one fleet of
// several on the same metrics server), rendered as `,<matchers>`, or as nothing.
const requests = 'ficus_proxy_requests_total{route=~"$routes",side="service"$selector}';
const comparisons = (outcome: string) => `ficus_proxy_shadow_comparisons_total{route=~"$routes",outcome${outcome}$selector}`;
const compared = comparisons('=~"mismatch|match|noise|lag"');
const answered = comparisons('!="skipped"');
/** Requests legacy answered after the service failed (absent series count as 0). */
const rescued = (fn: 'rate' | 'increase') => `(sum(${fn}(ficus_proxy_fallbacks_total{route=~"$routes"$selector}[$window])) or vector(0))`;
const p99 = (side: 'service' | 'legacy') => `histogram_quantile(0.99, sum by (le) (rate(ficus_proxy_request_duration_seconds_bucket{route=~"$routes",side="${side}"$selector}[$window])))`;

/** The defaults, written once (a numerator without series is 0: \`or vector(0)\`; a denominator without series leaves no value, so the gate waits) (docs/components/migration-workflows.md shows them). */
export const defaultGateQueries = {
  mismatchRate: {
    value: `(sum(rate(${comparisons('="mismatch"')}[$window])) or vector(0)) / sum(rate(${compared}[$window]))`,
    samples: `sum(increase(${compared}[$window]))`,
  },
  /**
   * canary and service steps: the service's failures, whether users saw them (a 5xx it answered) or
   * legacy rescued them (a fallback: the service failed or its breaker was open), over what it was asked.
   */
  errorRate: {
    value: `((sum(rate(ficus_proxy_requests_total{route=~"$routes",side="service",status_class="5xx"$selector}[$window])) or vector(0)) + ${rescued('rate')}) / (sum(rate(${requests}[$window])) + ${rescued('rate')})`,
    samples: `sum(increase(${requests}[$window])) + ${rescued('increase')}`,
  },
  /** the shadow step: the candidate's failures on copies. */
  shadowErrorRate: {
    value: `(sum(rate(${comparisons('="error"')}[$window])) or vector(0)) / sum(rate(${answered}[$window]))`,
    samples: `sum(increase(${answered}[$window]))`,
  },
  p99VsLegacy: {
    service: p99('service'),
    legacy: p99('legacy'),
    samples: `sum(increase(ficus_proxy_request_duration_seconds_count{route=~"$routes",side="service"$selector}[$window]))`,
  },
} as const;

/** The query names a window's figures come back under. */
export type GateQueryName =
  | 'mismatchRate.value' | 'mismatchRate.samples'
  | 'errorRate.value' | 'errorRate.samples'
  | 'p99VsLegacy.service' | 'p99VsLegacy.legacy' | 'p99VsLegacy.samples';

/** A window's figures: each query's single value, `null` when it has none (no series, or NaN as in 0/0). */
export type GateFigures = Partial<Record<GateQueryName, number | null>>;

/** A ratio gate's query override: the rate (0–1) over the window, and how many samples it rests on. */
export interface RatioQuery { value?: string; samples?: string }
export interface P99Query { service?: string; legacy?: string; samples?: string }
/** The parts of a declaration's `gates` the queries depend on (the thresholds are evaluate-gates' business). */
interface GateQueryOverrides {
  metrics?: { selector?: string; [setting: string]: unknown };
  mismatchRate?: { query?: RatioQuery; [threshold: string]: unknown };
  errorRate?: { query?: RatioQuery; shadowQuery?: RatioQuery; [threshold: string]: unknown };
  p99VsLegacy?: { query?: P99Query; [threshold: string]: unknown };
}

/** A regex matching exactly these route ids, as a PromQL string literal's content. */
export const routesRegex = (routes: readonly string[]): string =>
  routes.map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|').replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/**
 * Fills in `$routes`, `$window` and `$selector` in one pass (a value holding a placeholder's name is
 * never filled in again). Without a selector the text is what it was before selectors existed: the
 * recorded histories hold those queries as activity arguments.
 */
const render = (q: string, routes: readonly string[], windowSeconds: number, selector: string | undefined) => {
  const values: Record<string, string> = {
    routes: routesRegex(routes), window: `${Math.max(1, Math.round(windowSeconds))}s`, selector: selector?.trim() ? `,${selector.trim()}` : '',
  };
  return q.replace(/\$(routes|window|selector)\b/g, (_, name: string) => values[name]!);
};

/**
 * The queries one check of a step runs, rendered: only those of the configured gates that apply in
 * this phase (mismatch rate in shadow, p99 in canary), narrowed by `gates.metrics.selector`. Pure.
 */
export const gateQueriesFor = (gates: GateQueryOverrides, routes: readonly string[], phase: Phase, windowSeconds: number): Partial<Record<GateQueryName, string>> => {
  const out: Partial<Record<GateQueryName, string>> = {};
  const put = (name: GateQueryName, q: string) => { out[name] = render(q, routes, windowSeconds, gates.metrics?.selector); };
  if (gates.mismatchRate && phase === 'shadow') {
    put('mismatchRate.value', gates.mismatchRate.query?.value ?? defaultGateQueries.mismatchRate.value);
    put('mismatchRate.samples', gates.mismatchRate.query?.samples ?? defaultGateQueries.mismatchRate.samples);
  }
  if (gates.errorRate) {
    const [o, d] = phase === 'shadow' ? [gates.errorRate.shadowQuery, defaultGateQueries.shadowErrorRate] : [gates.errorRate.query, defaultGateQueries.errorRate];
    put('errorRate.value', o?.value ?? d.value);
    put('errorRate.samples', o?.samples ?? d.samples);
  }
  if (gates.p99VsLegacy && phase === 'canary') {
    const o = gates.p99VsLegacy.query;
    put('p99VsLegacy.service', o?.service ?? defaultGateQueries.p99VsLegacy.service);
    put('p99VsLegacy.legacy', o?.legacy ?? defaultGateQueries.p99VsLegacy.legacy);
    put('p99VsLegacy.samples', o?.samples ?? defaultGateQueries.p99VsLegacy.samples);
  }
  return out;
};
