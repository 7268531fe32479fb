// Zipkin's web UI as a person uses it, in headless Chromium: a traced request goes through the
// real SDK path (Express middleware, undici hook, both batch processors) to the stack's Jaeger and
// Zipkin; the person searches Zipkin by service name, opens the trace and reads its spans' names,
// then follows the cockpit trace view's "open in Zipkin" link to the same trace.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLogger, readStackEnv, waitFor } from '@ficus/common';
import { listenEphemeral } from '@ficus/common/testing';
import { readTracingConfig, startTracing, traceRequests, traceUndici, type Tracing } from '@ficus/common/tracing';
import { launchChromium } from './testing/browser.ts';
import { startCockpit, type RunningCockpit } from './start-cockpit.ts';

describe('traces in Zipkin\'s web UI (the stack\'s Zipkin and Jaeger, headless Chromium)', function () {
  this.timeout(120_000);
  const stack = readStackEnv();
  const service = `zipkin-e2e-${randomBytes(4).toString('hex')}`;
  // Zipkin keeps span names in lower case
  const spanNames = ['zipkin e2e checkout', 'get /api/parcels/:id'];
  let tracing: Tracing;
  let untraceUndici: () => void;
  let app: Awaited<ReturnType<typeof listenEphemeral>>;
  let cockpit: RunningCockpit;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let traceId = '';
  /** What the browser reports as broken on Zipkin's pages (the cockpit's own sources are fakes here: its 502s are expected). */
  const problems: string[] = [];
  const watch = (p: Page) => {
    p.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  };
  /** Waits until the page's main text has every span name (Lens renders the trace after fetching it). */
  const waitForSpanNames = (p: Page, what: string) => waitFor(async () => {
    const text = (await p.locator('body').innerText({ timeout: 1_000 }).catch(() => '')).toLowerCase();
    return spanNames.every((n) => text.includes(n));
  }, { what, timeoutMs: 20_000, intervalMs: 250 });

  before(async () => {
    const health = await fetch(`${stack.FICUS_ZIPKIN_URL}/health`).catch(() => undefined);
    if (!health?.ok) throw new Error(`Zipkin does not answer at ${stack.FICUS_ZIPKIN_URL}/health: \`./ficus stack up zipkin\``);
    tracing = startTracing(readTracingConfig({
      ...process.env, FICUS_TRACING: 'on', FICUS_TRACING_SAMPLE_RATIO: '1', OTEL_SERVICE_NAME: service,
      OTEL_EXPORTER_OTLP_ENDPOINT: stack.FICUS_OTLP_HTTP_ENDPOINT, FICUS_TRACING_ZIPKIN_URL: stack.FICUS_ZIPKIN_URL,
    }, service))!;
    untraceUndici = traceUndici();
    app = await listenEphemeral(express().use(traceRequests()).get('/api/parcels/:id', (req, res) => { res.json({ id: req.params.id }); }));
    cockpit = await startCockpit({
      port: 0, proxyAdminUrl: 'http://127.0.0.1:9', migrationAdminUrl: 'http://127.0.0.1:9', cdcMetricsUrl: 'http://127.0.0.1:9/metrics',
      jaegerUrl: stack.FICUS_JAEGER_URL, zipkinUiUrl: `${stack.FICUS_ZIPKIN_URL}/zipkin`,
      adminToken: 'zipkin-e2e-admin-token-0123456789', sampleMs: 60_000, historyPoints: 10, sessionMs: 600_000, log: createLogger('cockpit-zipkin-e2e', 'silent'),
    });
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await cockpit?.close();
    await app?.close();
    untraceUndici?.();
    await tracing?.shutdown();
  });

  it('a traced request reaches both backends: Zipkin for the UI, Jaeger for the API', async () => {
    traceId = await tracing.tracer.startActiveSpan('zipkin e2e checkout', async (root) => {
      expect((await fetch(`${app.baseUrl}/api/parcels/p-1`)).status).to.equal(200);
      root.end();
      return root.spanContext().traceId;
    });
    await tracing.flush();
    const zipkinSpans = await waitFor(async () => {
      const r = await fetch(`${stack.FICUS_ZIPKIN_URL}/api/v2/trace/${traceId}`);
      const spans = r.ok ? ((await r.json()) as Array<{ name: string; localEndpoint?: { serviceName?: string } }>) : [];
      return spans.length >= 3 ? spans : undefined;
    }, { what: 'the trace in Zipkin', timeoutMs: 20_000, intervalMs: 250 });
    expect(zipkinSpans.map((s) => s.name)).to.include.members(spanNames);
    expect(new Set(zipkinSpans.map((s) => s.localEndpoint?.serviceName))).to.deep.equal(new Set([service]));
    await waitFor(async () => (await fetch(`${stack.FICUS_JAEGER_URL}/api/traces/${traceId}`)).ok, { what: 'the same trace in Jaeger', timeoutMs: 20_000, intervalMs: 250 });
  });

  it('Zipkin\'s UI: search by service name, open the trace, read its spans', async () => {
    watch(page);
    await page.goto(`${stack.FICUS_ZIPKIN_URL}/zipkin/`);
    await page.getByTestId('add-button').click();
    await page.getByText('serviceName', { exact: true }).click();
    await page.keyboard.type(service);
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: /run query/i }).click();
    const row = page.getByText(`${service}: zipkin e2e checkout`);
    await row.waitFor({ timeout: 20_000 });
    expect(await page.getByText(/^1 Result$/).count(), 'one trace of this service').to.equal(1);
    await page.getByRole('button', { name: /^show$/i }).click();
    await page.waitForURL(`**/zipkin/traces/${traceId}`, { timeout: 20_000 });
    await waitForSpanNames(page, 'the span names on Zipkin\'s trace page');
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('the cockpit\'s trace view links to the same trace in Zipkin', async () => {
    const cockpitPage = await context.newPage();
    await cockpitPage.goto(await cockpit.signInLink());
    await cockpitPage.goto(`${cockpit.url}/#/traces/${traceId}`);
    const link = cockpitPage.getByTestId('zipkin-link');
    await link.waitFor({ timeout: 20_000 });
    expect(await link.getAttribute('href')).to.equal(`${stack.FICUS_ZIPKIN_URL}/zipkin/traces/${traceId}`);
    const [zipkinPage] = await Promise.all([context.waitForEvent('page'), link.click()]);
    watch(zipkinPage);
    await zipkinPage.waitForURL(`**/zipkin/traces/${traceId}`, { timeout: 20_000 });
    await waitForSpanNames(zipkinPage, 'the span names on the page the cockpit opened');
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });
});
