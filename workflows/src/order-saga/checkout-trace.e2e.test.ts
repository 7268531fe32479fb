import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from '@ficus/common/testing';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { readStackEnv, waitFor } from '@ficus/common';
import { readTracingConfig, startTracing, traceUndici, type Tracing } from '@ficus/common/tracing';
import { startSagaStack, stopAllSagaStacks, type SagaStack } from '../testing/saga-stack.ts';

interface JaegerSpan { spanID: string; operationName: string; processID: string; tags: Array<{ key: string; value: unknown }> }
interface JaegerTrace { spans: JaegerSpan[]; processes: Record<string, { serviceName: string }> }

const repo = fileURLToPath(new URL('../../../', import.meta.url));

describe('tracing: one checkout through the proxy is one trace in Jaeger, from the proxy through the saga to the services (e2e)', function () {
  this.timeout(180_000);
  const stack = readStackEnv();
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ficus-trace-e2e-'));
  let tracing: Tracing | undefined;
  let untraceUndici = () => undefined as void;
  let s: SagaStack;
  let proxyUrl: string;

  const spawnApp = (entry: string, env: Record<string, string>, ready: RegExp) => new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', join(repo, entry)], {
      env: { ...process.env, LOG_LEVEL: 'info', FICUS_TEST: '', FICUS_TRACING: 'on', FICUS_TRACING_SAMPLE_RATIO: '1', OTEL_EXPORTER_OTLP_ENDPOINT: stack.FICUS_OTLP_HTTP_ENDPOINT, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    const seen = (b: Buffer) => { out += b.toString(); if (ready.test(out)) resolve(child); };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.once('exit', (code) => reject(new Error(`${entry} exited with ${code}: ${out.slice(-2000)}`)));
  });

  before(async function () {
    this.timeout(180_000);
    // This process serves the monolith, orders, inventory and payments (the saga stack runs them in process).
    tracing = startTracing(readTracingConfig({ ...process.env, FICUS_TRACING: 'on', FICUS_TRACING_SAMPLE_RATIO: '1', OTEL_EXPORTER_OTLP_ENDPOINT: stack.FICUS_OTLP_HTTP_ENDPOINT }, 'ficus-e2e-services'));
    untraceUndici = traceUndici();
    s = await startSagaStack('trace', { inProcessWorker: false });
    await spawnApp('workflows/src/worker.ts', s.workerEnv, /saga worker running/);
    const [port, adminPort, deadPort] = [await freePort(), await freePort(), await freePort()];
    writeFileSync(join(dir, 'routes.json'), JSON.stringify({ routes: [{ id: 'checkout', method: 'POST', path: '/api/orders', service: 'orders', flag: 'ficus.e2e.trace.checkout' }] }));
    writeFileSync(join(dir, 'flags.json'), JSON.stringify({ flags: { 'ficus.e2e.trace.checkout': { mode: 'service', percent: 100 } } }));
    writeFileSync(join(dir, 'shadow-rules.json'), JSON.stringify({ routes: {} }));
    await spawnApp('strangler-proxy/src/main.ts', {
      FICUS_PROXY_PORT: String(port), FICUS_PROXY_ADMIN_PORT: String(adminPort), FICUS_PROXY_ROUTES_FILE: join(dir, 'routes.json'),
      FICUS_PROXY_FLAGS_BOOTSTRAP_FILE: join(dir, 'flags.json'), FICUS_PROXY_SHADOW_RULES_FILE: join(dir, 'shadow-rules.json'), FICUS_PROXY_SHADOW_DB_URL: 'memory',
      FICUS_PROXY_TARGET_LEGACY: s.urls.legacy, FICUS_PROXY_TARGET_ORDERS: s.urls.orders, FICUS_PROXY_FLAGS_READY_TIMEOUT_MS: '500',
      FICUS_PROXY_FLAG_STALENESS_MS: '86400000', FICUS_UNLEASH_URL: `http://127.0.0.1:${deadPort}`,
    }, /proxy listening|"port":\d+/);
    proxyUrl = `http://127.0.0.1:${port}`;
    // unmatched paths go to legacy: the monolith's own answer through the proxy
    await waitFor(async () => (await fetch(`${proxyUrl}/health`).catch(() => undefined))?.ok === true ? true : undefined, { what: 'the proxy' });
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : undefined)));
    await stopAllSagaStacks();
    untraceUndici();
    await tracing?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has spans from the proxy, the orders service, the saga\'s workflow and activities, and inventory and payments, with the checkout\'s request id in the saga\'s calls', async () => {
    const p = await s.product(700, 3);
    const u = await s.user();
    await u.addToCart(p, 2);
    const traceId = randomBytes(16).toString('hex');
    const requestId = `trace-e2e-${randomBytes(4).toString('hex')}`;
    const res = await fetch(`${proxyUrl}/api/orders`, {
      method: 'POST',
      headers: {
        cookie: [...u.legacy.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'idempotency-key': s.key('traced-1'),
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`, 'x-request-id': requestId,
      },
    });
    expect(res.status, await res.clone().text()).to.equal(201);
    await tracing!.flush();

    const want = ['proxy checkout', 'POST /api/orders', 'UpdateWithStartWorkflow:sagaDecision', 'RunWorkflow:placeOrder',
      'RunActivity:createOrder', 'RunActivity:authorizePayment', 'RunActivity:capturePayment', 'RunActivity:confirmStock', 'RunActivity:markOrderPaid',
      'PUT /internal/reservations/:key', 'POST /internal/reservations/:key/confirm', 'PUT /internal/payment-intents/:key', 'POST /internal/payment-intents/:key/capture'];
    let names: string[] = [];
    const trace = await waitFor(async () => {
      const r = await fetch(`${stack.FICUS_JAEGER_URL}/api/traces/${traceId}`);
      if (!r.ok) return undefined;
      const t = ((await r.json()) as { data?: JaegerTrace[] }).data?.[0];
      names = t ? t.spans.map((x) => x.operationName) : [];
      return t && want.every((w) => names.includes(w)) ? t : undefined;
    }, { timeoutMs: 30_000, intervalMs: 500, what: `every expected span in Jaeger's trace ${traceId}` }).catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; found: ${[...new Set(names)].sort().join(', ')}`);
    });

    const serviceOf = (span: JaegerSpan) => trace.processes[span.processID]!.serviceName;
    const byName = (n: string) => trace.spans.filter((x) => x.operationName === n);
    const tag = (span: JaegerSpan, key: string) => span.tags.find((t) => t.key === key)?.value;
    expect(serviceOf(byName('proxy checkout')[0]!)).to.equal('strangler-proxy');
    expect(tag(byName('proxy checkout')[0]!, 'ficus.upstream')).to.equal(s.urls.orders);
    expect(serviceOf(byName('RunWorkflow:placeOrder')[0]!)).to.equal('saga-worker');
    expect(serviceOf(byName('RunActivity:capturePayment')[0]!)).to.equal('saga-worker');
    expect(serviceOf(byName('POST /api/orders')[0]!)).to.equal('ficus-e2e-services');
    // the services the activities call answer with the checkout's request id, not the workflow id
    expect(tag(byName('PUT /internal/payment-intents/:key')[0]!, 'ficus.request_id')).to.equal(requestId);
    expect(tag(byName('POST /internal/reservations/:key/confirm')[0]!, 'ficus.request_id')).to.equal(requestId);
    expect(trace.spans.some((x) => tag(x, 'db.system') === 'mariadb'), 'database spans').to.equal(true);
  });
});
