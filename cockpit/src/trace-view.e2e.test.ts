// The cockpit's trace view as a person opens it, in headless Chromium, against the stack's Jaeger:
// a link followed while the page is still starting lands on the trace, and a trace that reaches the
// backend after the page asked for it shows up without a reload (spans are exported in batches,
// seconds after the request that an engineer wants to look at).
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createLogger, readStackEnv, waitFor } from '@ficus/common';
import { launchChromium } from './testing/browser.ts';
import { startCockpit, type RunningCockpit } from './start-cockpit.ts';

describe('the cockpit\'s trace view in headless Chromium (the stack\'s Jaeger)', function () {
  this.timeout(90_000);
  const stack = readStackEnv();
  let cockpit: RunningCockpit;
  let browser: Browser;
  let context: BrowserContext;

  /** Sends a one-span trace to the stack's Jaeger over OTLP/HTTP JSON, as the proxy exports it. */
  const exportTrace = async (traceId: string) => {
    const t0 = BigInt(Date.now()) * 1_000_000n;
    const res = await fetch(`${stack.FICUS_OTLP_HTTP_ENDPOINT}/v1/traces`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'strangler-proxy' } }] },
        scopeSpans: [{ scope: { name: 'e2e' }, spans: [{
          traceId, spanId: randomBytes(8).toString('hex'), name: 'proxy orders-checkout', kind: 2,
          startTimeUnixNano: String(t0), endTimeUnixNano: String(t0 + 3_000_000n), attributes: [],
        }] }],
      }] }),
    });
    expect(res.status).to.equal(200);
  };
  /** What the page says, for a failure message. */
  const pageText = async (p: Page) => (await p.locator('main').innerText({ timeout: 1_000 }).catch(() => '(no main)')).slice(0, 300);
  const waitForTraceId = (p: Page, traceId: string, what: string) => waitFor(
    async () => (await p.getByTestId('trace-id').textContent({ timeout: 500 }).catch(() => null)) === traceId,
    { what, timeoutMs: 20_000, intervalMs: 200 },
  ).catch(async (e: Error) => { throw new Error(`${e.message}; the page said: ${await pageText(p)}`); });
  const signedInPage = async () => {
    const p = await context.newPage();
    await p.goto(await cockpit.signInLink());
    return p;
  };

  before(async () => {
    cockpit = await startCockpit({
      port: 0, proxyAdminUrl: 'http://127.0.0.1:9', migrationAdminUrl: 'http://127.0.0.1:9', cdcMetricsUrl: 'http://127.0.0.1:9/metrics', jaegerUrl: stack.FICUS_JAEGER_URL,
      adminToken: 'trace-view-e2e-admin-token-0123456789', sampleMs: 60_000, historyPoints: 10, sessionMs: 600_000, log: createLogger('cockpit-trace-view-e2e', 'silent'),
    });
    browser = await launchChromium();
    context = await browser.newContext();
  });
  after(async () => {
    await browser?.close();
    await cockpit?.close();
  });

  it('follows a trace link that changes the address while the page is still starting', async () => {
    const traceId = randomBytes(16).toString('hex');
    await exportTrace(traceId);
    const p = await signedInPage();
    // the address changes once the page's script has run but before it has settled (as a link
    // clicked in another window, or a person pasting fast, can do): the view must follow it
    // (the page's own code, run in the browser before the cockpit's script)
    await p.addInitScript({ content: `if (location.hash === '') addEventListener('DOMContentLoaded', () => { location.hash = '#/traces/${traceId}'; }, { once: true });` });
    await p.goto(`${cockpit.url}/`);
    await waitForTraceId(p, traceId, 'the trace the address names');
  });

  it('shows a trace that reaches the trace backend after the page asked for it, without a reload', async () => {
    const traceId = randomBytes(16).toString('hex');
    const p = await signedInPage();
    await p.goto(`${cockpit.url}/#/traces/${traceId}`);
    await waitFor(async () => ((await p.getByRole('alert').textContent({ timeout: 500 }).catch(() => null)) ?? '').startsWith('COCKPIT_NOT_FOUND'), { what: 'not there yet, said so', timeoutMs: 20_000, intervalMs: 200 });
    await exportTrace(traceId);
    await waitForTraceId(p, traceId, 'the trace once Jaeger has it');
    expect(await p.getByRole('alert').count(), 'the not-found message is gone').to.equal(0);
  });
});
