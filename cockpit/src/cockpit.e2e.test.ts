// The cockpit as an engineer uses it, in headless Chromium: sign in from a one-time link, watch a
// migration's step, see a shadow mismatch appear and open it side by side, press pause and see the
// workflow paused. Real proxy, Unleash, Temporal and MariaDB (the migration e2e harness).
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLogger, readStackEnv, waitFor } from '@ficus/common';
import { startMigrationAdmin, type MigrationDeclaration } from '@ficus/workflows';
import { startMigrationStack, type MigrationStack } from '@ficus/workflows/testing';
import { testAdminToken } from '@ficus/strangler-proxy/testing';
import { launchChromium } from './testing/browser.ts';
import { startCockpit, type RunningCockpit } from './start-cockpit.ts';

describe('the cockpit in headless Chromium (real proxy, Unleash, Temporal, MariaDB)', function () {
  this.timeout(180_000);
  let s: MigrationStack;
  let admin: Awaited<ReturnType<typeof startMigrationAdmin>>;
  let cockpit: RunningCockpit;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let config: MigrationDeclaration;
  const problems: string[] = [];
  /** Waits until the first element of `selector` has text that satisfies `pred` (as a person watching the page). */
  const waitText = (selector: string, pred: (text: string) => boolean, what: string, timeoutMs = 30_000) =>
    waitFor(async () => pred((await page.locator(selector).first().textContent({ timeout: 1_000 }).catch(() => null)) ?? ''), { what, timeoutMs, intervalMs: 200 });

  before(async () => {
    // one proxy: the cockpit under test samples it and its traffic goes to it
    s = await startMigrationStack('cockpit', { products: 60, fleet: false });
    // a long shadow step with no mismatch gate: the mismatches this test causes must not roll it back
    config = s.config({ checkIntervalSeconds: 1, shadow: { percent: 100, holdSeconds: 900 }, canary: [{ percent: 100, holdSeconds: 1 }], gates: { errorRate: { max: 0.5, minRequests: 1 } } });
    const log = createLogger('cockpit-test');
    admin = await startMigrationAdmin({ port: 0, token: testAdminToken, configs: () => [config], client: s.client, store: s.dbs.store, log });
    cockpit = await startCockpit({
      port: 0, proxyAdminUrl: s.proxy.adminUrl, migrationAdminUrl: admin.url, cdcMetricsUrl: 'http://127.0.0.1:9/metrics', jaegerUrl: readStackEnv().FICUS_JAEGER_URL,
      adminToken: testAdminToken, sampleMs: 500, historyPoints: 200, sessionMs: 3_600_000, log,
    });
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  });
  after(async () => {
    await browser?.close();
    await cockpit?.close();
    await admin?.close();
    await s?.stop();
  });

  it('refuses the page and the API without a session, and a sign-in link works once', async () => {
    const first = await page.goto(cockpit.url);
    expect(first?.status()).to.equal(401);
    expect(first?.headers()['x-ficus-error-code']).to.equal('COCKPIT_SIGN_IN_REQUIRED');
    expect(await page.textContent('h1')).to.contain('Sign in');
    const api = await fetch(`${cockpit.url}/api/overview`);
    expect(api.status).to.equal(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).to.equal('COCKPIT_SIGN_IN_REQUIRED');
    expect((await fetch(`${cockpit.url}/api/sign-in-links`, { method: 'POST' })).status, 'minting needs the token').to.equal(401);

    const link = await cockpit.signInLink();
    expect(link).to.match(/\/sign-in\?code=[\w-]{20,}$/);
    const signedIn = await page.goto(link);
    expect(page.url()).to.equal(`${cockpit.url}/`);
    expect(signedIn?.status()).to.equal(200);
    const csp = signedIn!.headers()['content-security-policy'] ?? '';
    expect(csp).to.contain("script-src 'self'").and.to.contain("default-src 'self'").and.not.contain('unsafe-inline');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'ficus_cockpit_session')).to.deep.include({ httpOnly: true, sameSite: 'Strict' });

    // the same link again, in another browser: used up
    const other = await browser.newContext();
    const again = await (await other.newPage()).goto(link);
    expect(again?.status()).to.equal(401);
    expect(again?.headers()['x-ficus-error-code']).to.equal('COCKPIT_SIGN_IN_LINK_INVALID');
    await other.close();
    await page.waitForSelector('[data-route="catalog-products"]');
    // from here on the page must load and run without an error (a CSP violation is one)
    problems.length = 0;
  });

  it('shows the migration step, a mismatch as it appears (side by side, fields marked), and pauses the workflow', async () => {
    await s.client.start(config, 'e2e');
    await waitText('[data-testid="migration-step"]', (t) => t.includes('step shadow'), 'the shadow step shown', 60_000);
    expect(await page.textContent('[data-testid="migration-status"]')).to.be.oneOf(['running', 'waiting']);

    // the service starts answering with other prices; one product's name holds markup (shown as text, never run)
    s.fault.wrongPrices = true;
    const ids = (await s.dbs.legacy('products').orderBy('id').limit(5).pluck('id')) as number[];
    const markup = '<img src=x id=injected>';
    await s.dbs.legacy('products').where({ id: ids[0] }).update({ name: markup });
    await waitFor(async () => {
      for (const id of ids) await (await fetch(`${s.proxy.url}/api/products/${id}`)).arrayBuffer();
      return (await page.locator('[data-testid="mismatch-link"]').count()) >= ids.length;
    }, { what: 'mismatches listed in the cockpit', timeoutMs: 60_000, intervalMs: 1_000 });
    await waitText('[data-route="catalog-products"] [data-testid="match-rate"]', (t) => /^\d/.test(t), 'a shadow match rate for the route');

    await page.locator('[data-testid="mismatches"] tr', { hasText: `/api/products/${ids[0]}` }).first().locator('[data-testid="mismatch-link"]').click();
    await page.waitForSelector('[data-testid="mismatch"]');
    expect(await page.textContent('[data-testid="differences"]')).to.contain('$.priceCents').and.to.contain('$.name');
    for (const side of ['legacy-side', 'service-side']) {
      const marked = await page.locator(`[data-testid="${side}"] .line.diff`).allTextContents();
      const all = await page.locator(`[data-testid="${side}"] .line`).allTextContents();
      expect(marked.join('\n'), side).to.contain('"priceCents"').and.to.contain('"name"');
      expect(marked.join('\n'), `${side}: only differing lines are marked`).not.to.contain('"id"');
      expect(all.join('\n'), side).to.contain('"id"');
    }
    expect(await page.locator('[data-testid="legacy-side"]').textContent()).to.contain(markup);
    expect(await page.locator('#injected').count(), 'markup shown as text, not run').to.equal(0);
    const price = (side: string) => page.locator(`[data-testid="${side}"] .line.diff`, { hasText: 'priceCents' }).first().textContent();
    expect(await price('legacy-side')).not.to.equal(await price('service-side'));

    await page.goBack();
    await page.waitForSelector('[data-testid="controls"]');
    await page.getByRole('button', { name: 'Pause' }).click();
    await waitText('[data-testid="migration-status"]', (t) => t === 'paused', 'the migration shown paused');
    const state = await s.client.state(s.migrationName);
    expect(state.status).to.equal('paused');
    expect(state.audit.find((a) => a.kind === 'signal')?.data, 'the audit names the cockpit').to.deep.equal({ signal: 'pause', by: 'cockpit' });
    expect(await page.getByRole('button', { name: 'Resume' }).count()).to.equal(1);

    // the charts have points by now (sampled every 500 ms)
    await page.waitForSelector('[data-testid="chart-match"] canvas', { timeout: 15_000 });
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('refuses a control from another origin or not as JSON, and an abort without a reason', async () => {
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const post = (path: string, headers: Record<string, string>, body = '{}') => fetch(`${cockpit.url}/api${path}`, { method: 'POST', headers: { cookie, ...headers }, body });
    const code = async (r: Response) => ((await r.json()) as { error: { code: string } }).error.code;
    const name = encodeURIComponent(s.migrationName);
    const foreign = await post(`/migrations/${name}/resume`, { 'content-type': 'application/json', origin: 'http://evil.example' });
    expect([foreign.status, await code(foreign)]).to.deep.equal([403, 'COCKPIT_FORBIDDEN_ORIGIN']);
    const form = await post(`/migrations/${name}/resume`, { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1');
    expect([form.status, await code(form)]).to.deep.equal([403, 'COCKPIT_FORBIDDEN_ORIGIN']);
    const noReason = await post(`/migrations/${name}/abort`, { 'content-type': 'application/json' });
    expect([noReason.status, await code(noReason)]).to.deep.equal([400, 'COCKPIT_BAD_REQUEST']);
    const unknown = await post('/migrations/no-such-one/pause', { 'content-type': 'application/json' });
    expect([unknown.status, await code(unknown)]).to.deep.equal([404, 'COCKPIT_SOURCE_REFUSED']);
    expect((await s.client.state(s.migrationName)).status, 'still paused').to.equal('paused');
  });
  it("finds a request's trace in the trace backend and shows it as a waterfall", async () => {
    // a two-span trace as the proxy and a service export it (OTLP/HTTP JSON to the stack's Jaeger)
    const env = readStackEnv();
    const traceId = randomBytes(16).toString('hex');
    const [root, child] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
    const requestId = `e2e-${randomBytes(6).toString('hex')}`;
    const t0 = BigInt(Date.now()) * 1_000_000n;
    const span = (spanId: string, parent: string | undefined, name: string, from: bigint, to: bigint, attrs: Record<string, string>) => ({
      traceId, spanId, ...(parent ? { parentSpanId: parent } : {}), name, kind: 2, startTimeUnixNano: String(t0 + from), endTimeUnixNano: String(t0 + to),
      attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } })),
    });
    const service = (name: string, spans: unknown[]) => ({ resource: { attributes: [{ key: 'service.name', value: { stringValue: name } }] }, scopeSpans: [{ scope: { name: 'e2e' }, spans }] });
    const sent = await fetch(`${env.FICUS_OTLP_HTTP_ENDPOINT}/v1/traces`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [
        service('strangler-proxy', [span(root, undefined, 'proxy catalog-products', 0n, 6_000_000n, { 'ficus.request_id': requestId, 'ficus.route': 'catalog-products' })]),
        service('catalog-service', [span(child, root, 'GET /api/products/:id', 1_000_000n, 5_000_000n, {})]),
      ] }),
    });
    expect(sent.status).to.equal(200);
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    await waitFor(async () => (await fetch(`${cockpit.url}/api/traces?requestId=${requestId}`, { headers: { cookie } })).ok, { what: 'the trace stored by Jaeger', timeoutMs: 20_000, intervalMs: 300 });

    await page.goto(`${cockpit.url}/#/requests/${requestId}`);
    await waitText('[data-testid="trace-id"]', (x) => x === traceId, 'the trace id on the page');
    const rows = page.locator('[data-testid="span"]');
    expect(await rows.count()).to.equal(2);
    expect((await rows.nth(0).locator('td').allTextContents()).slice(0, 3)).to.deep.equal(['strangler-proxy', 'proxy catalog-products', '6.0 ms']);
    expect((await rows.nth(1).locator('td').allTextContents()).slice(0, 3)).to.deep.equal(['catalog-service', 'GET /api/products/:id', '4.0 ms']);
    // the child sits under its parent, its bar a sixth of the way in (styles set through the DOM: the CSP allows no inline style)
    expect(await rows.nth(1).locator('.indent').evaluate((e) => (e as unknown as { style: { paddingLeft: string } }).style.paddingLeft)).to.equal('1.2em');
    expect(await rows.nth(1).locator('.bar').evaluate((e) => Math.round(parseFloat((e as unknown as { style: { marginLeft: string } }).style.marginLeft)))).to.equal(17);

    expect(problems, problems.join('\n')).to.deep.equal([]);
    await page.goto(`${cockpit.url}/#/traces/${'0'.repeat(31)}1`);
    await waitText('[role="alert"]', (x) => x.startsWith('COCKPIT_NOT_FOUND'), 'an unknown trace said so');
    // the browser logs the API's 404 itself; nothing else may appear
    expect(problems.filter((x) => !/status of 404/.test(x)), problems.join('\n')).to.deep.equal([]);
  });
});
