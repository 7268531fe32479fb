import { expect } from 'chai';
import express from 'express';
import { createLogger } from '@ficus/common';
import { listenEphemeral } from '@ficus/common/testing';
import { createCockpitApp } from '../create-cockpit.ts';
import { createCockpitApi } from './cockpit-api.ts';
import { createMetricHistory } from '../history/metric-history.ts';
import { cockpitError } from '../errors/cockpit-error-codes.ts';
import type { HttpSource, SourceCall } from '../sources/http-source.ts';

const token = 'unit-test-admin-token-0123';

/** A source answering from a table of paths; calls are recorded. */
const fakeSource = (name: string, answers: Record<string, unknown | Error>) => {
  const calls: Array<{ path: string } & SourceCall> = [];
  const answer = async (path: string, c?: SourceCall) => {
    calls.push({ path, ...c });
    const a = answers[path.split('?')[0]!];
    if (a === undefined) throw cockpitError('COCKPIT_SOURCE_REFUSED', `${name}: NOT_FOUND`, { code: 'NOT_FOUND' });
    if (a instanceof Error) throw a;
    return a;
  };
  const source: HttpSource = { name, json: answer as HttpSource['json'], text: async (p, c) => String(await answer(p, c)) };
  return { source, calls };
};

describe('cockpit API and sign-in (fake sources)', () => {
  const proxy = fakeSource('proxy admin API', {
    '/routes': { flags: { stale: false }, routes: [{ id: 'catalog' }] },
    '/shadow/report': cockpitError('COCKPIT_SOURCE_UNAVAILABLE', 'proxy admin API did not answer'),
  });
  const migrations = fakeSource('migration admin', { '/migrations': { migrations: [] }, '/migrations/catalog/pause': { accepted: true }, '/migrations/catalog/abort': { accepted: true } });
  const cdc = fakeSource('CDC metrics', {});
  let app: Awaited<ReturnType<typeof listenEphemeral>>;
  let cookie = '';
  const call = (path: string, init: RequestInit = {}) => fetch(`${app.baseUrl}${path}`, { redirect: 'manual', ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });
  const errorCode = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;

  before(async () => {
    const history = createMetricHistory({ sample: async () => ({ at: Date.now() }), intervalMs: 60_000, points: 10 });
    app = await listenEphemeral(createCockpitApp({
      sources: { proxy: proxy.source, migrations: migrations.source, cdc: cdc.source }, history, historyIntervalMs: 60_000,
      adminToken: token, sessionMs: 60_000, publicUrl: () => 'http://cockpit.test', log: createLogger('cockpit-unit', 'silent'),
    }));
  });
  after(() => app?.close());

  it('mints links only with the bearer token; a link signs in once', async () => {
    const refused = await call('/api/sign-in-links', { method: 'POST', headers: { authorization: 'Bearer wrong' } });
    expect([refused.status, await errorCode(refused)]).to.deep.equal([401, 'COCKPIT_UNAUTHORIZED']);
    const minted = (await (await call('/api/sign-in-links', { method: 'POST', headers: { authorization: `Bearer ${token}` } })).json()) as { url: string };
    expect(minted.url).to.match(/^http:\/\/cockpit\.test\/sign-in\?code=/);
    const path = minted.url.replace('http://cockpit.test', '');
    const signIn = await call(path);
    expect(signIn.status).to.equal(303);
    expect(signIn.headers.get('location')).to.equal('/');
    cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
    expect(signIn.headers.get('set-cookie')).to.match(/HttpOnly/).and.match(/SameSite=Strict/);
    const again = await fetch(`${app.baseUrl}${path}`, { redirect: 'manual' });
    expect([again.status, again.headers.get('x-ficus-error-code')]).to.deep.equal([401, 'COCKPIT_SIGN_IN_LINK_INVALID']);
  });

  it('serves the page with a strict CSP, and the vendor libraries from their packages', async () => {
    const page = await call('/');
    expect(page.status).to.equal(200);
    expect(page.headers.get('content-security-policy')).to.contain("script-src 'self'").and.not.contain('unsafe');
    for (const f of ['/vendor/htm-preact.mjs', '/vendor/uplot.mjs', '/vendor/uplot.css', '/app.js', '/views/mismatch.js']) {
      const r = await call(f);
      expect(r.status, f).to.equal(200);
      expect(r.headers.get('content-type'), f).to.match(f.endsWith('.css') ? /text\/css/ : /javascript/);
    }
    expect((await call('/views/..%2Fsigned-out.html')).status).to.equal(404);
  });

  it('answers the overview with a source that is down as data, not as a failure', async () => {
    const o = (await (await call('/api/overview')).json()) as Record<string, { ok: boolean; error?: { code: string } }>;
    expect(o.routes!.ok).to.equal(true);
    expect(o.shadow).to.deep.equal({ ok: false, error: { code: 'COCKPIT_SOURCE_UNAVAILABLE', message: 'proxy admin API did not answer' } });
    expect(o.migrations!.ok).to.equal(true);
  });

  it('passes controls on as the cockpit, and refuses bad ones before any source', async () => {
    const json = { 'content-type': 'application/json' };
    expect((await call('/api/migrations/catalog/pause', { method: 'POST', headers: json, body: '{}' })).status).to.equal(202);
    expect(migrations.calls.at(-1)).to.deep.include({ path: '/migrations/catalog/pause', method: 'POST', body: { by: 'cockpit' } });
    const before = migrations.calls.length;
    const noReason = await call('/api/migrations/catalog/abort', { method: 'POST', headers: json, body: '{"reason":"  "}' });
    expect([noReason.status, await errorCode(noReason)]).to.deep.equal([400, 'COCKPIT_BAD_REQUEST']);
    const badName = await call('/api/migrations/..%2Fx/pause', { method: 'POST', headers: json, body: '{}' });
    expect(badName.status).to.equal(400);
    const badAction = await call('/api/migrations/catalog/delete', { method: 'POST', headers: json, body: '{}' });
    expect([badAction.status, await errorCode(badAction)]).to.deep.equal([400, 'COCKPIT_BAD_REQUEST']);
    const malformed = await call('/api/migrations/catalog/pause', { method: 'POST', headers: json, body: '{' });
    expect([malformed.status, await errorCode(malformed)]).to.deep.equal([400, 'BODY_MALFORMED_JSON']);
    expect(migrations.calls.length, 'nothing reached the migration admin').to.equal(before);
    expect((await call('/api/migrations/catalog/abort', { method: 'POST', headers: json, body: '{"reason":"bad prices"}' })).status).to.equal(202);
    expect(migrations.calls.at(-1)!.body).to.deep.equal({ by: 'cockpit', reason: 'bad prices' });
  });

  it('without a session: 401 with a stable code for the API, the sign-in page for pages', async () => {
    const api = await fetch(`${app.baseUrl}/api/overview`);
    expect([api.status, await errorCode(api)]).to.deep.equal([401, 'COCKPIT_SIGN_IN_REQUIRED']);
    const page = await fetch(`${app.baseUrl}/`, { headers: { cookie: 'ficus_cockpit_session=1.2.3' } });
    expect([page.status, page.headers.get('x-ficus-error-code')]).to.deep.equal([401, 'COCKPIT_SIGN_IN_REQUIRED']);
    expect(await page.text()).to.contain('./ficus cockpit link');
    const missing = await call('/api/nothing');
    expect([missing.status, await errorCode(missing)]).to.deep.equal([404, 'COCKPIT_NOT_FOUND']);
  });
  it('refuses a malformed trace id or request id, and says when no trace backend is configured', async () => {
    const bad = await call('/api/traces/not-hex');
    expect([bad.status, await errorCode(bad)]).to.deep.equal([400, 'COCKPIT_BAD_REQUEST']);
    const badRequest = await call(`/api/traces?requestId=${encodeURIComponent('a b<c>')}`);
    expect([badRequest.status, await errorCode(badRequest)]).to.deep.equal([400, 'COCKPIT_BAD_REQUEST']);
    const none = await call(`/api/traces/${'ab'.repeat(16)}`);
    expect([none.status, await errorCode(none)]).to.deep.equal([502, 'COCKPIT_SOURCE_UNAVAILABLE']);
  });
});

describe('cockpit API: the trace view links to Zipkin when a Zipkin UI is configured', () => {
  const traceId = 'ab'.repeat(16);
  const jaegerTrace = { traceID: traceId, processes: { p1: { serviceName: 'strangler-proxy' } }, spans: [{ traceID: traceId, spanID: 's1', operationName: 'proxy catalog', startTime: 1, duration: 5, processID: 'p1' }] };
  const traceJson = async (zipkinUiUrl: string | undefined, path: string) => {
    const traces = fakeSource('trace backend', { [`/api/traces/${traceId}`]: { data: [jaegerTrace] }, '/api/traces': { data: [jaegerTrace] } });
    const none = fakeSource('unused', {}).source;
    const history = createMetricHistory({ sample: async () => ({ at: Date.now() }), intervalMs: 60_000, points: 10 });
    const app = await listenEphemeral(express().use(createCockpitApi({ sources: { proxy: none, migrations: none, cdc: none, traces: traces.source }, history, historyIntervalMs: 60_000, actor: 'unit', zipkinUiUrl })));
    try { return (await (await fetch(`${app.baseUrl}${path}`)).json()) as { traceId: string; zipkinUrl?: string }; } finally { await app.close(); }
  };

  it('by trace id and by request id: `<ui>/traces/<trace id>`; without a UI, no link', async () => {
    expect((await traceJson('http://127.0.0.1:19411/zipkin/', `/traces/${traceId}`)).zipkinUrl).to.equal(`http://127.0.0.1:19411/zipkin/traces/${traceId}`);
    expect((await traceJson('http://127.0.0.1:19411/zipkin', '/traces?requestId=r-1')).zipkinUrl).to.equal(`http://127.0.0.1:19411/zipkin/traces/${traceId}`);
    const plain = await traceJson(undefined, `/traces/${traceId}`);
    expect(plain.traceId).to.equal(traceId);
    expect(plain).not.to.have.property('zipkinUrl');
  });
});
