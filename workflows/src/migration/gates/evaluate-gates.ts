// Pure gate arithmetic: imported by the workflow (deterministic code only, no Node built-ins).
import type { MigrationDeclaration } from '../migration-declaration.ts';
import { mergeBuckets, type MetricsSample, type SideCounters } from '@ficus/common/proxy-metrics-sample';
import { quantileOf } from '@ficus/common/prometheus-text';
import type { GateFigures } from './gate-queries.ts';

export type GateName = 'mismatchRate' | 'errorRate' | 'p99VsLegacy' | 'cdcLag' | 'probes' | 'parity';

export interface GateResult {
  gate: GateName;
  /** true: passes; false: fails (rolls back); null: not enough data or not readable (the step waits). */
  ok: boolean | null;
  value: number | null;
  threshold: number;
  detail: string;
  /** p99VsLegacy: the legacy p99 (s) this window measured, for later windows without legacy traffic. */
  reference?: number;
}

export interface ProbeOutcome { total: number; mismatched: number; failed: number; examples: string[] }
export interface LagOutcome { events: number | null; seconds: number | null; error?: string }
export interface ParityOutcome { clean: boolean; differencesTotal: number; rowsCompared: number; summary: string }

export interface GateInputs {
  phase: 'shadow' | 'canary';
  /** Metrics at the start and the end of the window (one check interval); undefined when the proxy could not be read. */
  before?: MetricsSample;
  after?: MetricsSample;
  metricsError?: string;
  probe?: ProbeOutcome;
  lag?: LagOutcome;
  parity?: ParityOutcome;
  /** Legacy p99 (s) seen earlier in the migration: at 100% legacy serves nothing to compare with. */
  lastLegacyP99?: number;
  /**
   * The window's figures from PromQL over every proxy replica (gates.metrics.source promql); when
   * given, the metric gates use them instead of `before`/`after` (`metricsError` still says why
   * they could not be read).
   */
  fleet?: GateFigures;
  /** `promql` when the figures come (or fail to come) from the metrics server. */
  metricsSource?: 'promql';
}

/** One metric gate's window, whichever the source: the rate (null: no data) and how many samples it rests on. */
interface Window { value: number | null; samples: number }

const fleetWindow = (f: GateFigures, gate: 'mismatchRate' | 'errorRate'): Window => {
  const samples = f[`${gate}.samples`] ?? 0;
  const v = f[`${gate}.value`];
  return { value: v === undefined || v === null || !Number.isFinite(v) ? null : v, samples: Math.round(samples) };
};

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

export { quantileOf };

const delta = (routes: string[], i: GateInputs, pick: (r: MetricsSample['routes'][string]) => number) =>
  sum(routes.map((r) => (i.after?.routes[r] ? pick(i.after.routes[r]) : 0) - (i.before?.routes[r] ? pick(i.before.routes[r]) : 0)));

/** Sums the buckets of several routes' side histograms. */
const mergedBuckets = (s: MetricsSample | undefined, routes: string[], side: 'legacy' | 'service'): Array<[number, number]> =>
  mergeBuckets(routes.map((r) => (s?.routes[r]?.[side] as SideCounters | undefined)?.buckets ?? []));

const rate = (n: number, d: number) => (d === 0 ? null : n / d);
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);

/**
 * Evaluates the configured gates over one check window. A gate whose data cannot be read or is
 * too thin says `ok: null` with why: the workflow then holds (never guesses) rather than passing.
 */
export const evaluateGates = (gates: MigrationDeclaration['gates'], routes: string[], i: GateInputs): GateResult[] => {
  const out: GateResult[] = [];
  const metricsUnreadable = i.fleet ? false : !i.before || !i.after;
  const unreadable = (gate: GateName, threshold: number): GateResult => ({ gate, ok: null, value: null, threshold, detail: `${i.metricsSource === 'promql' ? 'metrics server' : 'proxy metrics'} not readable: ${i.metricsError ?? 'no sample yet'}` });

  if (gates.mismatchRate && i.phase === 'shadow') {
    const g = gates.mismatchRate;
    if (metricsUnreadable) out.push(unreadable('mismatchRate', g.max));
    else {
      let w: Window;
      let what: string;
      if (i.fleet) {
        w = fleetWindow(i.fleet, 'mismatchRate');
        what = `${pct(w.value)} of ${w.samples} shadow comparisons mismatched, every replica`;
      } else {
        const mismatched = delta(routes, i, (r) => r.shadow.mismatch ?? 0);
        const compared = mismatched + delta(routes, i, (r) => (r.shadow.match ?? 0) + (r.shadow.noise ?? 0) + (r.shadow.lag ?? 0));
        w = { value: rate(mismatched, compared), samples: compared };
        what = `${mismatched} of ${compared} shadow comparisons mismatched (${pct(w.value)}`;
      }
      out.push(w.samples < g.minSamples || (i.fleet && w.value === null)
        ? { gate: 'mismatchRate', ok: null, value: w.value, threshold: g.max, detail: `${w.samples} comparisons in the window, need ${g.minSamples}` }
        : { gate: 'mismatchRate', ok: w.value! <= g.max, value: w.value, threshold: g.max, detail: i.fleet ? `${what} (max ${pct(g.max)})` : `${what}, max ${pct(g.max)})` });
    }
  }
  if (gates.errorRate) {
    const g = gates.errorRate;
    if (metricsUnreadable) out.push(unreadable('errorRate', g.max));
    else {
      let w: Window;
      let what: string;
      if (i.fleet) {
        w = fleetWindow(i.fleet, 'errorRate');
        what = `${pct(w.value)} of ${w.samples} ${i.phase === 'shadow' ? 'shadow copies' : 'service answers'} failed, every replica`;
      } else {
        // shadow: the candidate's failures on copies; canary/service: 5xx answers the service gave users
        const [errors, total] = i.phase === 'shadow'
          ? [delta(routes, i, (r) => r.shadow.error ?? 0), delta(routes, i, (r) => sum(Object.entries(r.shadow).filter(([k]) => k !== 'skipped').map(([, v]) => v)))]
          : [delta(routes, i, (r) => r.service.errors), delta(routes, i, (r) => r.service.requests)];
        w = { value: rate(errors, total), samples: total };
        what = `${errors} of ${total} service answers failed (${pct(w.value)}`;
      }
      out.push(w.samples < g.minRequests || (i.fleet && w.value === null)
        ? { gate: 'errorRate', ok: null, value: w.value, threshold: g.max, detail: `${w.samples} service answers in the window, need ${g.minRequests}` }
        : { gate: 'errorRate', ok: w.value! <= g.max, value: w.value, threshold: g.max, detail: i.fleet ? `${what} (max ${pct(g.max)})` : `${what}, max ${pct(g.max)})` });
    }
  }
  if (gates.p99VsLegacy && i.phase === 'canary') {
    const g = gates.p99VsLegacy;
    if (metricsUnreadable) out.push(unreadable('p99VsLegacy', g.maxRatio));
    else {
      const finite = (x: number | null | undefined) => (x === undefined || x === null || !Number.isFinite(x) ? null : x);
      const s = i.fleet
        ? { value: finite(i.fleet['p99VsLegacy.service']), count: Math.round(i.fleet['p99VsLegacy.samples'] ?? 0) }
        : quantileOf(mergedBuckets(i.before, routes, 'service'), mergedBuckets(i.after, routes, 'service'), 0.99);
      const l = i.fleet ? { value: finite(i.fleet['p99VsLegacy.legacy']) } : quantileOf(mergedBuckets(i.before, routes, 'legacy'), mergedBuckets(i.after, routes, 'legacy'), 0.99);
      if (s.count < g.minRequests || s.value === null) out.push({ gate: 'p99VsLegacy', ok: null, value: null, threshold: g.maxRatio, detail: `${s.count} service requests in the window, need ${g.minRequests}` });
      else {
        // at 100% legacy serves nothing: compare with the last legacy p99 the migration saw
        const legacyP99 = l.value ?? i.lastLegacyP99 ?? 0;
        const limit = legacyP99 * g.maxRatio + g.slackMs / 1000;
        out.push({ gate: 'p99VsLegacy', ok: s.value <= limit, value: s.value, threshold: limit, ...(l.value === null ? {} : { reference: l.value }), detail: `service p99 ${i.fleet ? '' : '≤ '}${(s.value * 1000).toFixed(1)} ms vs legacy p99 ${i.fleet ? '' : '≤ '}${(legacyP99 * 1000).toFixed(1)} ms${l.value === null ? ' (earlier window)' : ''} (limit ${(limit * 1000).toFixed(1)} ms = ×${g.maxRatio} + ${g.slackMs} ms)${i.fleet ? ', every replica' : ''}` });
      }
    }
  }
  if (gates.cdcLag && i.lag) {
    const g = gates.cdcLag;
    const threshold = g.maxSeconds ?? g.maxEvents ?? 0;
    if (i.lag.error) out.push({ gate: 'cdcLag', ok: null, value: null, threshold, detail: `CDC lag not readable: ${i.lag.error}` });
    else {
      const overEvents = g.maxEvents !== undefined && i.lag.events !== null && i.lag.events > g.maxEvents;
      const overSeconds = g.maxSeconds !== undefined && i.lag.seconds !== null && i.lag.seconds > g.maxSeconds;
      out.push({
        gate: 'cdcLag', ok: !(overEvents || overSeconds), value: g.maxSeconds !== undefined ? i.lag.seconds : i.lag.events, threshold,
        detail: `consumer lag ${i.lag.events ?? 'n/a'} events (max ${g.maxEvents ?? '–'}), end-to-end ${i.lag.seconds === null ? 'n/a' : `${i.lag.seconds.toFixed(2)} s`} (max ${g.maxSeconds ?? '–'} s)`,
      });
    }
  }
  if (gates.probes && i.probe) {
    const g = gates.probes;
    const p = i.probe;
    const v = rate(p.mismatched + p.failed, p.total);
    out.push(p.total === 0
      ? { gate: 'probes', ok: null, value: null, threshold: g.maxMismatchRate, detail: 'no probe answered' }
      : { gate: 'probes', ok: v! <= g.maxMismatchRate, value: v, threshold: g.maxMismatchRate, detail: `${p.mismatched} of ${p.total} probes answered differently, ${p.failed} failed${p.examples.length ? `: ${p.examples.slice(0, 3).join('; ')}` : ''}` });
  }
  if (gates.parity && i.parity) {
    const g = gates.parity;
    out.push({ gate: 'parity', ok: i.parity.differencesTotal <= g.maxDifferences, value: i.parity.differencesTotal, threshold: g.maxDifferences, detail: i.parity.summary });
  }
  return out;
};

/** The first failing gate, if any. */
export const failedGate = (results: GateResult[]) => results.find((r) => r.ok === false);
