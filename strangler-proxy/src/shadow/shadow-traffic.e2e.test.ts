import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { chromium } from 'playwright-core';
import type { Mode } from '../decision/mode.ts';
import { rawRequest } from '../testing/http-client.ts';
import { startTestBackend, type TestBackend } from '../testing/test-backend.ts';
import { describeEachEngine, adminGet, startTestProxy, testAdminToken, uniqueFlag, unleashAdmin } from '../testing/test-proxy.ts';
import { createKnexShadowStore, applyShadowSchema } from './knex-shadow-store.ts';
import type { RouteReport } from './shadow-report.ts';
import type { ShadowRulesInput } from './shadow-rules.ts';
import type { MismatchSummary, StoredMismatch } from './shadow-store-type.ts';

const json = (res: ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** The monolith's answers, with a nondeterministic `nonce` (Diffy's noise) and a timestamp. */
const legacyProduct = () => ({
  id: 1, name: 'Lamp', price: 12.5, tags: ['home', 'light'], nonce: randomBytes(6).toString('hex'), updatedAt: new Date().toISOString(),
  owner: { name: 'Ann', email: 'ann.owner@example.com' }, secretNote: 'do-not-store-this',
});
/** The candidate: the same contract with two deliberate differences ($.price, an extra tag) and its own nonce and timestamp. */
const candidateProduct = () => ({
  ...legacyProduct(), price: 12.75, tags: ['light', 'home', 'sale'], updatedAt: '2020-01-01T00:00:00.000Z',
});

describeEachEngine('shadow traffic against the real Unleash (mirror, compare, cancel noise, report)', function () {
  this.timeout(120_000);
  const admin = unleashAdmin();
  const ids = ['cmp', 'same', 'writes', 'idem', 'sandbox', 'bad', 'shed', 'sample', 'raw'] as const;
  const flags = Object.fromEntries(ids.map((id) => [id, uniqueFlag(`shadow-${id}`)])) as Record<(typeof ids)[number], string>;
  let legacy: TestBackend;
  let candidate: TestBackend;
  let sandbox: TestBackend;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;
  const held: ServerResponse[] = [];
  let rawCalls = 0;

  const rules: ShadowRulesInput = {
    defaults: { timeoutMs: 400, normalise: [{ path: '$..updatedAt', as: 'timestamp' }] },
    routes: {
      cmp: { arrays: [{ path: '$.tags', as: 'set' }], noise: { secondLegacyCall: true, minCount: 1 }, redact: { paths: ['$..secretNote'] } },
      same: { noise: { secondLegacyCall: true, minCount: 1 } },
      idem: { writes: { safeBy: 'idempotency-key' } },
      sandbox: { writes: { safeBy: 'sandbox', target: 'sandbox' } },
      bad: { maxBodyBytes: 65_536, timeoutMs: 3_000 },
      shed: { maxConcurrency: 1, maxQueue: 2, timeoutMs: 20_000 },
      sample: { sampleRate: 0.1 },
      raw: { readAfterWrite: { maxWaitMs: 150 } },
    },
  };

  const report = async (route: string) => (await (await adminGet(proxy, `/shadow/report/${route}`)).json()) as RouteReport;
  const mismatches = async (route: string) => ((await (await adminGet(proxy, `/shadow/mismatches?route=${route}`)).json()) as { mismatches: MismatchSummary[] }).mismatches;
  const record = async (id: number) => (await (await adminGet(proxy, `/shadow/mismatches/${id}`)).json()) as StoredMismatch;
  const setShadow = async (flag: string) => {
    await admin.setMode(flag, 'shadow' as Mode, 100);
  };

  before(async () => {
    legacy = await startTestBackend('legacy');
    candidate = await startTestBackend('candidate');
    sandbox = await startTestBackend('sandbox');
    legacy.handle((req: IncomingMessage, res: ServerResponse) => {
      const url = req.url!;
      if (url.startsWith('/cmp/') || url.startsWith('/same/')) return json(res, legacyProduct(), 200, { 'set-cookie': 'sid=legacy-session-secret' });
      if (url === '/bad/huge-primary') return json(res, { blob: 'x'.repeat(3 << 20) });
      if (url === '/bad/binary') { res.writeHead(200, { 'content-type': 'application/octet-stream' }); return res.end(Buffer.from([0, 1, 2, 3, 4])); }
      if (url.startsWith('/raw/')) return json(res, { stock: 5 });
      json(res, { ok: true, path: url });
    });
    candidate.handle((req, res) => {
      const url = req.url!;
      if (url.startsWith('/cmp/')) return json(res, candidateProduct());
      if (url.startsWith('/same/')) return json(res, { ...legacyProduct(), updatedAt: '2021-02-03T04:05:06Z' });
      if (url === '/bad/hang') return; // never answers
      if (url === '/bad/reset') return req.socket.destroy();
      if (url === '/bad/invalid-json') { res.writeHead(200, { 'content-type': 'application/json' }); return res.end('{"ok": tru'); }
      if (url === '/bad/huge') return json(res, { ok: true, path: url, blob: 'y'.repeat(5 << 20) });
      if (url === '/bad/huge-primary') return json(res, { blob: 'x'.repeat(3 << 20) });
      if (url === '/bad/binary') { res.writeHead(200, { 'content-type': 'application/octet-stream' }); return res.end(Buffer.from([0, 1, 2, 3, 5])); }
      if (url.startsWith('/shed/')) { held.push(res); return; }
      if (url.startsWith('/raw/')) return json(res, { stock: ++rawCalls === 1 ? 4 : 5 }); // stale once: CDC has not delivered yet
      json(res, { ok: true, path: url });
    });
    db = await createTestDatabase('shadow_e2e');
    await applyShadowSchema(db.knex);
    for (const f of Object.values(flags)) await admin.ensureFlag(f);
    proxy = await startTestProxy({
      targets: { legacy: legacy.origin, svc: candidate.origin, sandbox: sandbox.origin },
      routes: ids.map((id) => ({ id, method: ['writes', 'idem', 'sandbox'].includes(id) ? '*' : 'GET', path: `/${id}/*`, service: 'svc', flag: flags[id], mirrorWrites: ['writes', 'idem', 'sandbox'].includes(id) })),
      env: { FICUS_PROXY_SHADOW_MAX_IN_FLIGHT: '64' },
      extra: { shadow: { rules, store: createKnexShadowStore(db.knex) } },
    });
    for (const f of Object.values(flags)) await setShadow(f);
    await waitFor(async () => {
      const body = (await (await adminGet(proxy, '/routes')).json()) as { routes: Array<{ mode: string }> };
      return body.routes.every((r) => r.mode === 'shadow');
    }, { what: 'every test route in shadow mode', timeoutMs: 10_000 });
  });

  after(async () => {
    for (const r of held) r.destroy();
    await proxy?.close();
    await Promise.all([legacy?.close(), candidate?.close(), sandbox?.close()]);
    await db?.drop();
    for (const f of Object.values(flags)) await admin.deleteFlag(f).catch(() => {});
  });

  it('reports exactly the candidate\'s deliberate differences at their JSON paths, and sets noise apart', async () => {
    const res = await fetch(`${proxy.url}/cmp/products/1`, { headers: { cookie: 'sid=user-session-secret', authorization: 'Bearer user-token-secret' } });
    const served = (await res.json()) as { price: number };
    expect(served.price, 'the user is answered by legacy').to.equal(12.5);
    const [m] = await waitFor(async () => { const l = await mismatches('cmp'); return l.length ? l : undefined; }, { what: 'the stored mismatch' });
    const full = await record(m!.id);
    expect(full.outcome).to.equal('mismatch');
    expect(full.differences.map((d) => `${d.path} ${d.kind}`)).to.deep.equal(['$.price changed', '$.tags[=sale] added']);
    expect(full.differences[0]).to.include({ primary: 12.5, candidate: 12.75, field: '$.price' });
    expect(full.noise.map((d) => d.path), 'the nonce differs between legacy\'s own two answers').to.deep.equal(['$.nonce']);
    const r = await report('cmp');
    expect(r.counts).to.include({ mirrored: 1, compared: 1, mismatched: 1 });
    expect(r.topFields.map((f) => f.field)).to.have.members(['$.price', '$.tags[*]']);
    expect(r.noiseFields.map((f) => f.field)).to.include('$.nonce');
    expect(r.topFields.map((f) => f.field)).not.to.include('$.nonce');
    expect(r.examples[0]!.requestId).to.equal(full.requestId);
  });

  it('an answer that differs from legacy only in noisy fields is noise, not a mismatch', async () => {
    for (let i = 0; i < 3; i++) await (await fetch(`${proxy.url}/same/products/${i}`)).arrayBuffer();
    const r = await waitFor(async () => { const x = await report('same'); return (x.counts.compared ?? 0) >= 3 ? x : undefined; }, { what: '3 comparisons' });
    expect(r.counts).to.include({ noise: 3 });
    expect(r.counts.mismatched ?? 0).to.equal(0);
    expect(r.matchRate).to.equal(1);
    expect(await mismatches('same')).to.deep.equal([]);
  });

  it('redacted fields never reach storage (cookies, authorization, e-mails, configured paths)', async () => {
    await waitFor(async () => (await mismatches('cmp')).length, { what: 'a stored mismatch' });
    const rows = (await db.knex('shadow_mismatches').select('record', 'url')) as Array<{ record: string; url: string }>;
    expect(rows.length).to.be.greaterThan(0);
    const stored = rows.map((r) => r.record + r.url).join('\n');
    for (const secret of ['user-session-secret', 'user-token-secret', 'legacy-session-secret', 'ann.owner@example.com', 'do-not-store-this']) {
      expect(stored, secret).not.to.include(secret);
    }
    expect(stored).to.include('[redacted]');
  });

  it('unsafe requests are not mirrored unless the route declares how they are safe', async () => {
    const before = candidate.seen.length;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await fetch(`${proxy.url}/writes/orders/1`, { method, body: method === 'DELETE' ? undefined : '{"q":1}', headers: { 'content-type': 'application/json' } });
      expect(res.status).to.equal(200);
      await res.arrayBuffer();
    }
    // idempotency key declared: without the key nothing is copied; with it the copy keeps the key
    await (await fetch(`${proxy.url}/idem/orders`, { method: 'POST', body: '{"q":2}', headers: { 'content-type': 'application/json' } })).arrayBuffer();
    await (await fetch(`${proxy.url}/idem/orders`, { method: 'POST', body: '{"q":3}', headers: { 'content-type': 'application/json', 'idempotency-key': 'k-42' } })).arrayBuffer();
    // sandbox declared: the copy goes to the sandbox target, never to the service
    await rawRequest(`${proxy.url}/sandbox/orders`, { method: 'POST', body: '{"q":4}', headers: { 'content-type': 'application/json', host: 'shop.example' } });
    const idemCopy = await waitFor(() => candidate.seen.find((s) => s.url === '/idem/orders'), { what: 'the keyed copy' });
    const sandboxCopy = await waitFor(() => sandbox.seen.find((s) => s.url === '/sandbox/orders'), { what: 'the sandbox copy' });
    await waitFor(async () => (await report('writes')).counts.unsafe_skipped === 4, { what: '4 unsafe requests counted as skipped' });
    expect(idemCopy.headers['idempotency-key']).to.equal('k-42');
    expect(idemCopy.headers['x-ficus-shadow']).to.equal('1');
    expect(idemCopy.body.toString()).to.equal('{"q":3}');
    expect(sandboxCopy.headers['x-ficus-shadow']).to.equal('1');
    expect(sandboxCopy.headers.host, 'Host is never rewritten').to.equal('shop.example');
    const copies = candidate.seen.slice(before).map((s) => `${s.method} ${s.url}`);
    expect(copies).to.deep.equal(['POST /idem/orders']);
    expect((await report('idem')).counts).to.include({ unsafe_skipped: 1, mirrored: 1 });
  });

  it('the primary never waits for, nor fails because of, a hung, failing, invalid or enormous shadow', async () => {
    const cases = ['/bad/hang', '/bad/reset', '/bad/invalid-json', '/bad/huge', '/bad/huge-primary', '/bad/binary'];
    for (const path of cases) {
      const started = performance.now();
      const res = await fetch(`${proxy.url}${path}`);
      const body = Buffer.from(await res.arrayBuffer());
      const ms = performance.now() - started;
      expect(res.status, path).to.equal(200);
      // the hung shadow is given 3 s before it times out: a primary that waited would take that long
      expect(ms, `${path} answered without waiting for the shadow`).to.be.lessThan(2_000);
      if (path === '/bad/huge-primary') expect(body.length).to.be.greaterThan(3 << 20);
    }
    const r = await waitFor(async () => { const x = await report('bad'); return (x.counts.errors ?? 0) + (x.counts.compared ?? 0) >= cases.length ? x : undefined; }, { what: 'every bad case recorded', timeoutMs: 15_000 });
    expect(r.counts).to.include({ mirrored: 6, errors: 3, compared: 3, mismatched: 2, matched: 1 });
    expect(r.counts.oversize, 'two exchanges past the capture bound, compared by hash').to.equal(2);
    const all = await Promise.all((await (await adminGet(proxy, '/shadow/mismatches?route=bad&limit=50')).json() as { mismatches: MismatchSummary[] }).mismatches.map((m) => record(m.id)));
    const byUrl = Object.fromEntries(all.map((m) => [m.url, m]));
    expect(byUrl['/bad/hang']!.reason).to.match(/timeout after 3000 ms/);
    expect(byUrl['/bad/reset']!.outcome).to.equal('error');
    expect(byUrl['/bad/invalid-json']!.reason).to.match(/candidate body is not valid JSON/);
    expect(byUrl['/bad/huge']!.differences.map((d) => d.path)).to.deep.equal(['$']);
    expect(byUrl['/bad/binary']!.differences[0]!.primary).to.match(/^sha256:/);
    expect(byUrl['/bad/huge-primary'], 'equal enormous bodies match by hash').to.equal(undefined);
  });

  it('under saturation the route\'s queue sheds (counted) and the primary\'s latency holds', async () => {
    const n = 40;
    const started = performance.now();
    const times = await Promise.all(Array.from({ length: n }, async (_, i) => {
      const t = performance.now();
      const res = await fetch(`${proxy.url}/shed/item/${i}`);
      await res.arrayBuffer();
      expect(res.status).to.equal(200);
      return performance.now() - t;
    }));
    const total = performance.now() - started;
    const r = await report('shed');
    expect(r.counts.mirrored, 'one running + two queued').to.equal(3);
    expect(r.counts.shed).to.equal(n - 3);
    // the shadow copy is held until the end of this test: a primary that waited for it would never finish
    expect(Math.max(...times), 'no primary waited for the held shadow').to.be.lessThan(5_000);
    expect(total).to.be.lessThan(5_000);
    const metrics = await (await adminGet(proxy, '/metrics')).text();
    expect(metrics).to.include(`ficus_proxy_shadow_offers_total{route="shed",outcome="shed"} ${n - 3}`);
    expect(metrics).to.match(/ficus_proxy_shadow_queue_depth\{route="shed"\} 2/);
    for (const res of held.splice(0)) json(res, { ok: true, path: 'held' });
  });

  it('samples a route at its rate', async () => {
    for (let i = 0; i < 200; i++) await (await fetch(`${proxy.url}/sample/p/${i}`)).arrayBuffer();
    const r = await report('sample');
    expect((r.counts.mirrored ?? 0) + (r.counts.sampled_out ?? 0)).to.equal(200);
    expect(r.counts.mirrored).to.be.within(5, 45);
  });

  it('read-after-write: a read that matches once the data has synced is lag, not divergence', async () => {
    await (await fetch(`${proxy.url}/raw/stock/1`)).arrayBuffer();
    const r = await waitFor(async () => { const x = await report('raw'); return x.counts.lag ? x : undefined; }, { what: 'a lag verdict' });
    expect(r.counts.mismatched ?? 0).to.equal(0);
    expect(r.lagFields.map((f) => f.field)).to.deep.equal(['$.stock']);
    const [m] = (await (await adminGet(proxy, '/shadow/mismatches?route=raw&outcome=lag')).json() as { mismatches: MismatchSummary[] }).mismatches;
    expect((await record(m!.id)).reason).to.match(/matched after 150 ms/);
  });

  it('the report page (headless Chromium) shows per-route match rates and a mismatch side by side, differences highlighted', async function () {
    this.timeout(120_000);
    const executablePath = '/usr/bin/chromium';
    if (!existsSync(executablePath)) {
      // the project installs what it needs: Debian's chromium (playwright-core never downloads a browser)
      execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    }
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
    try {
      const page = await (await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${testAdminToken}` } })).newPage();
      await page.goto(`${proxy.adminUrl}/shadow/page`);
      const row = page.locator('#routes tr[data-route="cmp"]');
      expect(await row.locator('.rate').textContent()).to.equal('0.0 %');
      expect(await page.locator('#routes tr[data-route="same"] .rate').textContent()).to.equal('100.0 %');
      await row.locator('a').click();
      expect(await page.locator('#fields').textContent()).to.include('$.price');
      expect(await page.locator('#noise').textContent()).to.include('$.nonce');
      await page.locator('#mismatches a').first().click();
      expect(await page.locator('#differences').textContent()).to.include('$.tags[=sale]');
      const legacyMarks = await page.locator('#legacy mark').allTextContents();
      const serviceMarks = await page.locator('#service mark').allTextContents();
      expect(legacyMarks, 'legacy side: the changed price').to.deep.equal(['12.5']);
      expect(serviceMarks, 'service side: the changed price and the extra tag').to.deep.equal(['12.75', '"sale"']);
      const box = async (sel: string) => (await page.locator(sel).boundingBox())!;
      const [l, r] = [await box('#legacy'), await box('#service')];
      expect(r.x, 'side by side').to.be.greaterThan(l.x + l.width - 1);
      expect(Math.abs(r.y - l.y)).to.be.lessThan(2);
      mkdirSync('.ficus/screenshots', { recursive: true });
      await page.screenshot({ path: '.ficus/screenshots/shadow-mismatch.png', fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('replay: stored mismatching requests are sent to the current service and reported as now matching once fixed', async () => {
    const before = (await (await fetch(`${proxy.adminUrl}/shadow/replay`, { method: 'POST', headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' }, body: '{"route":"cmp"}' })).json()) as { replayed: number; stillDiffering: number };
    expect(before).to.include({ replayed: 1, stillDiffering: 1 });
    candidate.handle((req, res) => json(res, { ...legacyProduct(), nonce: 'whatever' }));
    const after = (await (await fetch(`${proxy.adminUrl}/shadow/replay`, { method: 'POST', headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' }, body: '{"route":"cmp"}' })).json()) as { nowMatching: number; items: Array<{ result: string }> };
    expect(after.nowMatching).to.equal(1);
  });

  it('the admin API needs the token for reports too', async () => {
    expect((await adminGet(proxy, '/shadow/report', '')).status).to.equal(401);
    expect((await adminGet(proxy, '/shadow/report/nope')).status).to.equal(404);
  });
});
