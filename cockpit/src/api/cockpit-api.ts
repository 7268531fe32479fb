// The cockpit's JSON API (behind the session cookie): what the page shows, gathered from the proxy
// admin API, the migration admin and the CDC's metrics, and the migration controls.
import express, { Router, type Request } from 'express';
import type { HttpSource } from '../sources/http-source.ts';
import type { MetricHistory } from '../history/metric-history.ts';
import { cockpitError } from '../errors/cockpit-error-codes.ts';
import { waterfallOf, type JaegerTrace, type Waterfall } from '../traces/waterfall.ts';

export interface CockpitSources {
  proxy: HttpSource; migrations: HttpSource; cdc: HttpSource;
  /** The trace backend's query API (Jaeger's /api/traces). */
  traces?: HttpSource;
}

const migrationName = /^[A-Za-z0-9][\w.-]{0,99}$/;
const routeId = /^[\w.-]{1,100}$/;
const actions = ['pause', 'resume', 'approve', 'abort'] as const;

/** A source's answer, or its error as data: one source down must not blank the whole page. */
const settle = async <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> => {
  try { return { ok: true, value: await p }; } catch (e) {
    const x = e as { code?: string; message?: string; details?: { code?: string } };
    return { ok: false, error: { code: x.details?.code ?? x.code ?? 'INTERNAL', message: x.message ?? String(e) } };
  }
};

const param = (req: Request, name: string, re: RegExp, what: string): string => {
  const v = String(req.params[name] ?? '');
  if (!re.test(v)) throw cockpitError('COCKPIT_BAD_REQUEST', `${what}: not a valid name`);
  return v;
};

export const createCockpitApi = (o: { sources: CockpitSources; history: MetricHistory; historyIntervalMs: number; actor: string; zipkinUiUrl?: string }): Router => {
  const { proxy, migrations } = o.sources;
  const r = Router();
  // the same trace in Zipkin's UI, when one gets the spans too (the link is the page's only way there)
  const zipkinBase = o.zipkinUiUrl?.replace(/\/+$/, '');
  const withZipkinLink = (w: Waterfall): Waterfall & { zipkinUrl?: string } => zipkinBase ? { ...w, zipkinUrl: `${zipkinBase}/traces/${w.traceId}` } : w;
  r.get('/overview', async (_req, res) => {
    const [routes, shadow, migs] = await Promise.all([
      settle(proxy.json<{ flags: unknown; routes: unknown[] }>('/routes')),
      settle(proxy.json<{ routes: unknown[] }>('/shadow/report?fields=10')),
      settle(migrations.json<{ migrations: unknown[] }>('/migrations')),
    ]);
    res.json({ at: new Date().toISOString(), routes, shadow, migrations: migs });
  });
  r.get('/history', (_req, res) => { res.json({ intervalMs: o.historyIntervalMs, points: o.history.points() }); });
  r.get('/mismatches', async (req, res) => {
    const q = new URLSearchParams({ limit: '50' });
    if (req.query.route !== undefined) {
      if (typeof req.query.route !== 'string' || !routeId.test(req.query.route)) throw cockpitError('COCKPIT_BAD_REQUEST', 'route: not a route id');
      q.set('route', req.query.route);
    }
    res.json(await proxy.json(`/shadow/mismatches?${q}`));
  });
  r.get('/mismatches/:id', async (req, res) => {
    const id = param(req, 'id', /^\d{1,15}$/, 'mismatch id');
    res.json(await proxy.json(`/shadow/mismatches/${id}`));
  });
  // one trace as a waterfall, by its id or by a request id the proxy recorded on its span
  const traceSource = () => {
    if (!o.sources.traces) throw cockpitError('COCKPIT_SOURCE_UNAVAILABLE', 'no trace backend configured (FICUS_JAEGER_URL)');
    return o.sources.traces;
  };
  const notFound = (what: string) => cockpitError('COCKPIT_NOT_FOUND', `${what}: no such trace in the trace backend (tracing off, not sampled, or past its retention)`);
  r.get('/traces/:id', async (req, res) => {
    const id = param(req, 'id', /^[0-9a-f]{16,32}$/, 'trace id');
    const body = await traceSource().json<{ data?: JaegerTrace[] }>(`/api/traces/${id}`).catch((e: { details?: { status?: number } }) => {
      if (e.details?.status === 404) throw notFound(`trace ${id}`);
      throw e;
    });
    const t = body.data?.[0];
    if (!t) throw notFound(`trace ${id}`);
    res.json(withZipkinLink(waterfallOf(t)));
  });
  r.get('/traces', async (req, res) => {
    const rid = req.query.requestId;
    if (typeof rid !== 'string' || !/^[\w.:-]{1,128}$/.test(rid)) throw cockpitError('COCKPIT_BAD_REQUEST', 'requestId: expected the request id of a request (letters, digits, - _ . :)');
    const q = new URLSearchParams({ service: 'strangler-proxy', tags: JSON.stringify({ 'ficus.request_id': rid }), limit: '1', lookback: '2d' });
    const body = await traceSource().json<{ data?: JaegerTrace[] }>(`/api/traces?${q}`);
    const t = body.data?.[0];
    if (!t) throw notFound(`request ${rid}`);
    res.json(withZipkinLink(waterfallOf(t)));
  });
  r.get('/migrations/:name/audit', async (req, res) => {
    const name = param(req, 'name', migrationName, 'migration');
    res.json(await migrations.json(`/migrations/${encodeURIComponent(name)}/audit?limit=200`));
  });
  r.post('/migrations/:name/:action', express.json({ limit: '8kb' }), async (req, res) => {
    const name = param(req, 'name', migrationName, 'migration');
    const action = String(req.params.action) as (typeof actions)[number];
    if (!actions.includes(action)) throw cockpitError('COCKPIT_BAD_REQUEST', `action: expected one of ${actions.join(', ')}`);
    const body = (req.body ?? {}) as { reason?: unknown };
    if (action === 'abort' && (typeof body.reason !== 'string' || !body.reason.trim())) throw cockpitError('COCKPIT_BAD_REQUEST', 'reason: an abort needs a reason');
    // the same signal the CLI sends (`ficus migrate pause` …), through the migration admin
    res.status(202).json(await migrations.json(`/migrations/${encodeURIComponent(name)}/${action}`, {
      method: 'POST', body: { by: o.actor, ...(action === 'abort' ? { reason: String(body.reason).trim().slice(0, 500) } : {}) },
    }));
  });
  return r;
};
