import type { Logger } from '@ficus/common/core';
import type { CapturedResponse, Difference } from '../compare/compare-responses.ts';
import { redactBody, redactDifferenceValue, redactHeaders, redactUrl, type Redaction } from '../compare/redact.ts';
import type { MirroredExchange, OfferOutcome, SideResult } from './mirroring-shadow-sink.ts';
import type { ShadowVerdict } from './shadow-comparator.ts';
import type { ShadowMetrics } from './shadow-metrics.ts';
import type { CounterName, FieldClass, FieldDelta, NewMismatch, RouteCounts, ShadowStore, StoredDifference, StoredResponse } from './shadow-store-type.ts';

export interface ShadowRecorderOptions {
  store: ShadowStore;
  metrics: ShadowMetrics | undefined;
  log: Logger;
  /** How often counts go to the store. */
  flushMs?: number;
  /** Mismatch records waiting for the store; beyond it records are dropped (counted). */
  maxPendingWrites?: number;
}

const maxValueChars = 2_000;

const capValue = (v: unknown): unknown => {
  if (v === undefined) return undefined;
  const s = JSON.stringify(v);
  return s !== undefined && s.length > maxValueChars ? `${s.slice(0, maxValueChars)}… (${s.length} chars)` : v;
};

const storedDifference = (d: Difference, r: Redaction): StoredDifference => ({
  where: d.where, path: d.path, field: d.field, kind: d.kind,
  ...(d.kind !== 'added' ? { primary: capValue(redactDifferenceValue(d.segments, d.primary, r)) } : {}),
  ...(d.kind !== 'removed' ? { candidate: capValue(redactDifferenceValue(d.segments, d.candidate, r)) } : {}),
});

const contentType = (h: CapturedResponse['headers']) => { const v = h['content-type']; return Array.isArray(v) ? v[0] : v; };

const storedResponse = (s: SideResult | undefined, r: Redaction, maxChars: number): StoredResponse => {
  if (!s) return {};
  if ('error' in s) return { error: s.error };
  const res = s.response;
  const body = redactBody(res.body, contentType(res.headers), r, maxChars);
  return {
    status: res.status, headers: redactHeaders(res.headers, r), bodyBytes: res.bodyBytes, bodyHash: res.bodyHash,
    ...(body.json !== undefined ? { json: body.json } : {}), ...(body.text !== undefined ? { text: body.text } : {}),
    ...(body.truncated || (res.body === undefined && res.bodyBytes > 0) ? { truncated: true } : {}),
  };
};

const requestContentType = (headers: readonly string[]) => {
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === 'content-type') return headers[i + 1];
  return undefined;
};

/**
 * Keeps the results: per-route counters and per-field counts (aggregated in memory, flushed to the
 * store every `flushMs`), Prometheus metrics, and each mismatch with both requests and responses,
 * redacted by the route's rules BEFORE anything is written, and size-capped.
 */
export const createShadowRecorder = (o: ShadowRecorderOptions) => {
  const maxPending = o.maxPendingWrites ?? 256;
  let counts: Record<string, RouteCounts> = {};
  let fields = new Map<string, FieldDelta>();
  let pendingWrites = 0;
  const writes = new Set<Promise<unknown>>();

  const bump = (route: string, name: CounterName, n = 1) => {
    const c = (counts[route] ??= {});
    c[name] = (c[name] ?? 0) + n;
  };
  const field = (route: string, d: Difference, cls: FieldClass, requestId: string) => {
    const key = `${route}\u0000${d.field}\u0000${cls}`;
    const f = fields.get(key);
    if (f) { f.count++; f.lastRequestId = requestId; } else fields.set(key, { route, field: d.field, cls, count: 1, lastRequestId: requestId });
    o.metrics?.field(route, d.field, cls);
  };

  // One warning when the store starts failing and one line when it takes writes again, not one per
  // write: a MariaDB that is down would otherwise log every shadow result (each is still counted).
  let failing = false;
  const notStored = (what: 'counts' | 'record', e: unknown, route?: string) => {
    o.metrics?.storeDropped(what);
    if (failing) return;
    failing = true;
    o.log.warn({ err: (e as Error).message, what, route }, 'the shadow store fails: results are not stored (counted in ficus_proxy_shadow_store_dropped_total) until it takes writes again');
  };
  const stored = () => {
    if (!failing) return;
    failing = false;
    o.log.info('the shadow store takes writes again');
  };

  // One flush at a time: a report's flush must also wait for the timer's write in progress.
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => (flushing = flushing.then(flushNow));
  const flushNow = async () => {
    const c = counts;
    const f = [...fields.values()];
    if (!Object.keys(c).length && !f.length) return;
    counts = {};
    fields = new Map();
    try {
      await o.store.addCounts(c, f);
      stored();
    } catch (e) {
      notStored('counts', e);
    }
  };
  const timer = setInterval(() => { void flush(); }, o.flushMs ?? 500);
  timer.unref();

  const save = (m: NewMismatch) => {
    if (pendingWrites >= maxPending) { o.metrics?.storeDropped('record'); return; }
    pendingWrites++;
    const p = o.store.saveMismatch(m).then(stored, (e: unknown) => notStored('record', e, m.route)).finally(() => { pendingWrites--; writes.delete(p); });
    writes.add(p);
  };

  return {
    counted(route: string, outcome: OfferOutcome): void {
      bump(route, outcome);
      o.metrics?.offer(route, outcome);
    },

    record(x: MirroredExchange, v: ShadowVerdict): void {
      const route = x.offer.routeId;
      const id = x.offer.requestId;
      o.metrics?.comparison(route, v.outcome);
      if ('durationMs' in v.candidate) o.metrics?.candidateSeconds(route, v.candidate.durationMs / 1000);
      const counter: Record<ShadowVerdict['outcome'], CounterName> = { match: 'matched', mismatch: 'mismatched', noise: 'noise', lag: 'lag', error: 'errors', skipped: 'skipped' };
      bump(route, counter[v.outcome]);
      if (v.outcome !== 'error' && v.outcome !== 'skipped') bump(route, 'compared');
      if (x.legacyAgain && 'response' in x.legacyAgain && 'response' in x.primary) bump(route, 'noise_pairs');
      const oversize = ('oversize' in x.primary && x.primary.oversize) || ('oversize' in v.candidate && v.candidate.oversize);
      if (oversize) { bump(route, 'oversize'); o.metrics?.oversize(route); }
      for (const d of v.differences) field(route, d, v.outcome === 'lag' ? 'lag' : 'real', id);
      for (const d of v.noise) field(route, d, 'noise', id);
      for (const d of v.legacyPair) field(route, d, 'legacy', id);
      if (v.outcome !== 'mismatch' && v.outcome !== 'error' && v.outcome !== 'lag') return;
      const r = x.rules.redaction;
      const max = x.rules.storeBodyBytes;
      const reqBody = redactBody(x.offer.body ?? undefined, requestContentType(x.offer.headers), r, max);
      save({
        route, requestId: id, outcome: v.outcome, reason: v.reason ?? null, at: x.at.toISOString(), method: x.offer.method, url: redactUrl(x.offer.url, r),
        request: {
          target: x.target, headers: redactHeaders(x.offer.headers, r), bodyBytes: x.offer.body?.length ?? 0,
          ...(reqBody.json !== undefined ? { json: reqBody.json } : {}), ...(reqBody.text !== undefined ? { text: reqBody.text } : {}),
        },
        primary: storedResponse(x.primary, r, max),
        candidate: storedResponse(v.candidate, r, max),
        differences: v.differences.map((d) => storedDifference(d, r)),
        noise: v.noise.map((d) => storedDifference(d, r)),
        total: v.total,
        bodyMode: v.bodyMode ?? null,
      });
    },

    /** Writes what is pending (reports call this first, so they show everything recorded so far). */
    async flush(): Promise<void> {
      await Promise.all([...writes]);
      await flush();
    },

    async close(): Promise<void> {
      clearInterval(timer);
      await Promise.all([...writes]);
      await flush();
    },
  };
};
export type ShadowRecorder = ReturnType<typeof createShadowRecorder>;
