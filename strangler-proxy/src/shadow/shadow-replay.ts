import type { IncomingHttpHeaders } from 'node:http';
import type { Upstreams } from '../engine-shared/upstreams.ts';
import { compareResponses, sha256, type CapturedResponse } from '../compare/compare-responses.ts';
import { redactBody, redactedMark } from '../compare/redact.ts';
import { BodyCapture } from './body-capture.ts';
import { isSafeMethod, shadowMarker } from './mirroring-shadow-sink.ts';
import type { ShadowRules } from './shadow-rules.ts';
import type { ShadowStore, StoredMismatch, StoredResponse } from './shadow-store-type.ts';

export interface ReplayItem {
  id: number;
  requestId: string;
  route: string;
  method: string;
  url: string;
  /** match: the service now answers like legacy did; mismatch: still differs; skipped/error: see reason. */
  result: 'match' | 'mismatch' | 'skipped' | 'error';
  reason?: string;
  differences: Array<{ path: string; kind: string }>;
}

const storedBody = (s: StoredResponse): Buffer | undefined =>
  s.json !== undefined ? Buffer.from(JSON.stringify(s.json)) : s.text !== undefined ? Buffer.from(s.text) : undefined;

/** Replays stored mismatching requests against the route's current service and compares with legacy's stored answer. */
export const createShadowReplay = (o: { store: ShadowStore; rules: ShadowRules; upstreams: Upstreams; serviceTarget: (routeId: string) => string | undefined }) => {
  const replayOne = async (m: StoredMismatch): Promise<ReplayItem> => {
    const base = { id: m.id, requestId: m.requestId, route: m.route, method: m.method, url: m.url, differences: [] };
    const rules = o.rules.forRoute(m.route);
    let target = o.serviceTarget(m.route);
    if (!target) return { ...base, result: 'skipped', reason: 'route no longer in the route table' };
    if (!isSafeMethod(m.method)) {
      if (rules.writes?.kind !== 'sandbox') return { ...base, result: 'skipped', reason: 'unsafe method: replayed only against a sandbox target' };
      target = rules.writes.target;
    }
    if (m.primary.status === undefined || m.primary.truncated) return { ...base, result: 'skipped', reason: 'legacy answer not stored whole' };
    // Redacted values cannot be sent back: those headers are left out, and bodies go as stored.
    const headers: string[] = [];
    for (const [k, v] of Object.entries(m.request.headers)) if (v !== redactedMark && k !== 'content-length') headers.push(k, v);
    headers.push(...shadowMarker);
    const body = storedBody(m.request as StoredResponse) ?? null;
    const capture = new BodyCapture(rules.maxBodyBytes);
    try {
      const res = await o.upstreams.get(target).request({ method: m.method as 'GET', path: m.url, headers, body, headersTimeout: rules.timeoutMs, bodyTimeout: rules.timeoutMs, signal: AbortSignal.timeout(rules.timeoutMs) });
      capture.head(res.statusCode, res.headers);
      for await (const c of res.body) capture.data(c as Buffer);
      capture.end();
    } catch (e) {
      capture.fail((e as Error).message);
    }
    const got = await capture.result();
    if ('error' in got) return { ...base, result: 'error', reason: got.error };
    // Compare like with like: the stored legacy answer is redacted, so the new one is too.
    const ct = got.response.headers['content-type'];
    const red = redactBody(got.response.body, Array.isArray(ct) ? ct[0] : ct, rules.redaction, Number.MAX_SAFE_INTEGER);
    const candidateBody = red.json !== undefined ? Buffer.from(JSON.stringify(red.json)) : got.response.body;
    const candidate: CapturedResponse = { ...got.response, body: candidateBody, bodyBytes: candidateBody?.length ?? got.response.bodyBytes, bodyHash: candidateBody ? sha256(candidateBody) : got.response.bodyHash };
    const primaryBody = storedBody(m.primary);
    const primary: CapturedResponse = {
      status: m.primary.status, headers: (m.primary.headers ?? {}) as IncomingHttpHeaders, body: primaryBody,
      bodyBytes: primaryBody?.length ?? m.primary.bodyBytes ?? 0, bodyHash: primaryBody ? sha256(primaryBody) : m.primary.bodyHash ?? '',
    };
    const c = compareResponses(primary, candidate, rules.compare);
    const noisy = new Set(m.noise.map((d) => d.field));
    const real = c.differences.filter((d) => !noisy.has(d.field));
    if (c.error) return { ...base, result: 'error', reason: c.error };
    return { ...base, result: real.length ? 'mismatch' : 'match', differences: real.map((d) => ({ path: d.path, kind: d.kind })) };
  };

  return {
    async replay(q: { route?: string; limit: number }): Promise<{ replayed: number; nowMatching: number; stillDiffering: number; items: ReplayItem[] }> {
      const list = await o.store.mismatches({ route: q.route, outcome: 'mismatch', limit: q.limit });
      const items: ReplayItem[] = [];
      for (const s of list) {
        const m = await o.store.mismatch(s.id);
        if (m) items.push(await replayOne(m));
      }
      return { replayed: items.length, nowMatching: items.filter((i) => i.result === 'match').length, stillDiffering: items.filter((i) => i.result === 'mismatch').length, items };
    },
  };
};
