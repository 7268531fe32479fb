import express, { Router } from 'express';
import { notFound, badRequest } from '@ficus/common/core';
import type { ShadowRuntime } from '../shadow/create-shadow.ts';
import { renderMismatch, renderOverview, renderRoute } from '../shadow/report-html.ts';
import { buildRouteReports } from '../shadow/shadow-report.ts';
import type { StoredOutcome } from '../shadow/shadow-store-type.ts';

const limitOf = (v: unknown, dflt: number, max: number) => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > max) throw badRequest('SHADOW_BAD_QUERY', `limit: expected a whole number 1–${max}`);
  return n;
};

/**
 * Shadow reports on the admin port (behind its bearer token): JSON under /shadow/report,
 * /shadow/mismatches and POST /shadow/replay; the web page under /shadow/page.
 */
export const createShadowAdminRouter = (s: ShadowRuntime): Router => {
  const r = Router();
  const routeIds = s.table.routes.map((x) => x.id);
  const known = (route: string) => {
    if (!routeIds.includes(route)) throw notFound('SHADOW_ROUTE_UNKNOWN', `no route "${route}" in the route table`);
  };
  const reports = async (route: string | undefined, fields: number, examples: number) => {
    await s.recorder.flush();
    return buildRouteReports(s.store, routeIds, { route, fields, examples });
  };
  const mismatch = async (idText: string) => {
    const id = Number(idText);
    const m = Number.isInteger(id) ? await (await s.recorder.flush(), s.store.mismatch(id)) : undefined;
    if (!m) throw notFound('SHADOW_MISMATCH_NOT_FOUND', `no stored mismatch ${idText}`);
    return m;
  };
  const base = (req: express.Request) => req.baseUrl;

  r.get('/report', async (req, res) => { res.json({ routes: await reports(undefined, limitOf(req.query.fields, 10, 100), 3) }); });
  r.get('/report/:route', async (req, res) => {
    known(req.params.route);
    res.json((await reports(req.params.route, limitOf(req.query.fields, 20, 500), 10))[0]);
  });
  r.get('/mismatches', async (req, res) => {
    const outcome = req.query.outcome as StoredOutcome | undefined;
    if (outcome !== undefined && !['mismatch', 'error', 'lag'].includes(outcome)) throw badRequest('SHADOW_BAD_QUERY', 'outcome: expected mismatch, error or lag');
    const before = req.query.before === undefined ? undefined : Number(req.query.before);
    await s.recorder.flush();
    res.json({ mismatches: await s.store.mismatches({ route: req.query.route as string | undefined, outcome, limit: limitOf(req.query.limit, 50, 1000), beforeId: before }) });
  });
  r.get('/mismatches/:id', async (req, res) => { res.json(await mismatch(req.params.id)); });
  r.post('/replay', express.json(), async (req, res) => {
    const body = (req.body ?? {}) as { route?: unknown; limit?: unknown };
    if (body.route !== undefined) { if (typeof body.route !== 'string') throw badRequest('SHADOW_BAD_QUERY', 'route: expected a route id'); known(body.route); }
    await s.recorder.flush();
    res.json(await s.replay.replay({ route: body.route as string | undefined, limit: limitOf(body.limit, 100, 1000) }));
  });

  const html = (res: express.Response, text: string) => { res.set('content-type', 'text/html; charset=utf-8').set('cache-control', 'no-store').send(text); };
  r.get('/page', async (req, res) => { html(res, renderOverview(await reports(undefined, 5, 0), base(req))); });
  r.get('/page/routes/:route', async (req, res) => {
    known(req.params.route);
    html(res, renderRoute((await reports(req.params.route, 50, 20))[0]!, base(req)));
  });
  r.get('/page/mismatches/:id', async (req, res) => { html(res, renderMismatch(await mismatch(req.params.id), base(req))); });
  return r;
};
