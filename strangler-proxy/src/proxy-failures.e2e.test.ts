import { expect } from 'chai';
import { waitFor } from '@ficus/common';
import { startTestBackend, type TestBackend } from './testing/test-backend.ts';
import { rawExchange } from './testing/http-client.ts';
import { describeEachEngine, adminGet, startTestProxy, testAdminToken, uniqueFlag, unleashAdmin } from './testing/test-proxy.ts';

interface Answer { status: number; backend?: string; code?: string; requestId?: string; servedBy: string | null }
const call = async (url: string, init?: RequestInit): Promise<Answer> => {
  const res = await fetch(url, init);
  const body = (await res.json()) as { backend?: string; error?: { code: string; requestId: string } };
  return { status: res.status, backend: body.backend, code: body.error?.code, requestId: body.error?.requestId, servedBy: res.headers.get('x-ficus-served-by') };
};

describeEachEngine('strangler proxy failures, fallback and circuit breaker', function () {
  this.timeout(60_000);
  const admin = unleashAdmin();
  const flag = uniqueFlag('failing');
  let legacy: TestBackend;
  let svc: TestBackend;
  let svc2: TestBackend;
  let proxy: Awaited<ReturnType<typeof startTestProxy>>;
  const svcOk = (backend: TestBackend) => backend.handle((_q, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(`{"backend":"${backend.name}"}`); });

  before(async () => {
    legacy = await startTestBackend('legacy');
    svc = await startTestBackend('service');
    svc2 = await startTestBackend('service2');
    await admin.ensureFlag(flag);
    await admin.setMode(flag, 'service');
    proxy = await startTestProxy({
      targets: { legacy: legacy.origin, svc: svc.origin, svc2: svc2.origin, gone: 'http://127.0.0.1:9' },
      routes: [
        { id: 'fb', method: '*', path: '/fb/*', service: 'svc', flag, timeoutMs: 300 },
        { id: 'nofb', method: '*', path: '/nofb/*', service: 'svc', flag, fallbackToLegacy: false, timeoutMs: 300 },
        { id: 'gone', method: '*', path: '/gone/*', service: 'gone', flag },
        { id: 'brk', method: '*', path: '/brk/*', service: 'svc2', flag },
        { id: 'brk-nofb', method: '*', path: '/brk-nofb/*', service: 'svc2', flag, fallbackToLegacy: false },
      ],
      env: { FICUS_PROXY_DEBUG_HEADER: 'true', FICUS_PROXY_BREAKER_FAILURE_THRESHOLD: '5', FICUS_PROXY_BREAKER_OPEN_MS: '1000' },
    });
    await waitFor(async () => (await call(`${proxy.url}/fb/x`)).backend === 'service', { what: 'service mode' });
  });
  after(async () => {
    await proxy?.close();
    await legacy?.close();
    await svc?.close();
    await svc2?.close();
    await admin.deleteFlag(flag).catch(() => {});
  });

  it('shows the served side only in the debug header when it is switched on', async () => {
    expect((await call(`${proxy.url}/fb/x`)).servedBy).to.equal('service; route=fb; mode=service');
  });

  it('retries an idempotent request once on legacy when the service answers 5xx', async () => {
    svc.handle((_q, res) => { res.writeHead(503); res.end('down'); });
    const a = await call(`${proxy.url}/fb/item`);
    expect([a.status, a.backend]).to.deep.equal([200, 'legacy']);
    expect(a.servedBy).to.equal('legacy; route=fb; mode=service; fallback=service-5xx');
    svcOk(svc);
  });

  it('retries on legacy when the service times out, and a small PUT body goes along', async () => {
    svc.handle(() => { /* never answers */ });
    const a = await call(`${proxy.url}/fb/slow`, { method: 'PUT', body: 'payload' });
    expect([a.status, a.backend]).to.deep.equal([200, 'legacy']);
    expect(legacy.seen.at(-1)!.body.toString()).to.equal('payload');
    svcOk(svc);
  });

  it('retries on legacy when the service refuses connections', async () => {
    const a = await call(`${proxy.url}/gone/x`);
    expect([a.status, a.backend]).to.deep.equal([200, 'legacy']);
  });

  it('never retries a POST: the service\'s 5xx reaches the client', async () => {
    svc.handle((_q, res) => { res.writeHead(500, { 'content-type': 'application/json' }); res.end('{"backend":"service"}'); });
    const before = legacy.seen.length;
    const a = await call(`${proxy.url}/fb/orders`, { method: 'POST', body: '{}' });
    expect([a.status, a.backend]).to.deep.equal([500, 'service']);
    expect(legacy.seen.length).to.equal(before);
    svcOk(svc);
  });

  it('answers a JSON 504 with a stable code and the request id when the service times out and may not fall back', async () => {
    svc.handle(() => {});
    const a = await call(`${proxy.url}/nofb/slow`, { headers: { 'x-request-id': 'timeout-1' } });
    expect([a.status, a.code, a.requestId]).to.deep.equal([504, 'PROXY_UPSTREAM_TIMEOUT', 'timeout-1']);
    svcOk(svc);
  });

  it('answers a JSON 502 when nothing can serve', async () => {
    await legacy.close();
    try {
      const a = await call(`${proxy.url}/unrouted`, { headers: { 'x-request-id': 'nothing-1' } });
      expect([a.status, a.code, a.requestId]).to.deep.equal([502, 'PROXY_UPSTREAM_UNAVAILABLE', 'nothing-1']);
    } finally {
      const port = Number(new URL(legacy.origin).port);
      legacy = await startTestBackend('legacy');
      // The route table points at the old port; the replacement must listen there.
      await legacy.close();
      const { createServer } = await import('node:http');
      const again = createServer((_q, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"backend":"legacy"}'); });
      await new Promise<void>((r) => again.listen(port, '127.0.0.1', r));
      legacy = Object.assign(legacy, { server: again, close: () => new Promise<void>((r) => { again.close(() => r()); again.closeAllConnections(); }) });
    }
  });

  it('opens the breaker after repeated service failures: requests go straight to legacy, then it closes again', async () => {
    let svcHits = 0;
    svc2.handle((_q, res) => { svcHits++; res.writeHead(502); res.end(); });
    for (let i = 0; i < 5; i++) expect((await call(`${proxy.url}/brk/b${i}`)).backend).to.equal('legacy');
    expect(svcHits).to.equal(5);
    const breakers = (await (await adminGet(proxy, '/breakers')).json()) as Record<string, string>;
    expect(breakers[svc2.origin]).to.equal('open');
    const open = await call(`${proxy.url}/brk/while-open`);
    expect([open.backend, open.servedBy]).to.deep.equal(['legacy', 'legacy; route=brk; mode=service; fallback=circuit-open']);
    const noFallback = await call(`${proxy.url}/brk-nofb/while-open`);
    expect([noFallback.status, noFallback.code]).to.deep.equal([502, 'PROXY_CIRCUIT_OPEN']);
    expect(svcHits, 'no request reached the service while open').to.equal(5);
    const metrics = await (await adminGet(proxy, '/metrics')).text();
    expect(metrics).to.contain(`ficus_proxy_breaker_state{target="${svc2.origin}"} 1`);
    expect(metrics).to.match(/ficus_proxy_fallbacks_total\{route="brk",reason="circuit-open"\} [1-9]/);
    svcOk(svc2);
    await waitFor(async () => (await call(`${proxy.url}/brk/probe`)).backend === 'service2', { what: 'breaker closed again', timeoutMs: 5_000, intervalMs: 100 });
    expect(((await (await adminGet(proxy, '/breakers')).json()) as Record<string, string>)[svc2.origin]).to.equal('closed');
  });

  it('admin API: 401 without the token or with a wrong one; health, readiness, routes and metrics with it', async () => {
    for (const path of ['/routes', '/metrics', '/health', '/ready']) {
      expect((await fetch(`${proxy.adminUrl}${path}`)).status, path).to.equal(401);
      expect((await adminGet(proxy, path, `${testAdminToken}x`)).status, path).to.equal(401);
    }
    expect(await (await adminGet(proxy, '/health')).json()).to.deep.equal({ status: 'ok' });
    expect((await adminGet(proxy, '/ready')).status).to.equal(200);
    const metrics = await (await adminGet(proxy, '/metrics')).text();
    for (const name of ['ficus_proxy_requests_total', 'ficus_proxy_request_duration_seconds_bucket', 'ficus_proxy_fallbacks_total', 'ficus_proxy_breaker_state', 'ficus_proxy_flag_staleness_seconds', 'ficus_proxy_flags_stale']) {
      expect(metrics, name).to.contain(name);
    }
    expect(metrics).to.match(/ficus_proxy_requests_total\{route="fb",side="service",status_class="2xx"\} [1-9]/);
  });

  describe('malformed requests', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['a header value with a control character', 'GET /fb/x HTTP/1.1\r\nHost: a\r\nX-Bad: a\u0001b\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['Content-Length together with Transfer-Encoding', 'POST /fb/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['two different Content-Lengths', 'POST /fb/x HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!', /^HTTP\/1\.1 400 /],
      ['absurdly large headers', `GET /fb/x HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`, /^HTTP\/1\.1 431 /],
      ['a lower-case method', 'get /fb/x HTTP/1.1\r\nHost: a\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['a method token Node does not know', 'FROB /fb/x HTTP/1.1\r\nHost: a\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['two Host headers', 'GET /fb/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', /^HTTP\/1\.1 400 [\s\S]*PROXY_BAD_REQUEST/],
      ['two Host headers, one empty', 'GET /fb/x HTTP/1.1\r\nHost: a\r\nHost:\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['TRACE', 'TRACE /fb/x HTTP/1.1\r\nHost: a\r\n\r\n', /^HTTP\/1\.1 405 [\s\S]*PROXY_METHOD_NOT_ALLOWED/],
      ['CONNECT', 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n', /^HTTP\/1\.1 405 /],
      ['a missing Host header', 'GET /fb/x HTTP/1.1\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['a dot-segment path', 'GET /fb/../admin HTTP/1.1\r\nHost: a\r\n\r\n', /^HTTP\/1\.1 400 [\s\S]*PROXY_BAD_REQUEST/],
      ['an encoded dot-segment path', 'GET /fb/%2e%2E/admin HTTP/1.1\r\nHost: a\r\n\r\n', /^HTTP\/1\.1 400 /],
      ['an absolute-form target', 'GET http://evil.example/fb/x HTTP/1.1\r\nHost: a\r\n\r\n', /^HTTP\/1\.1 400 /],
    ];
    for (const [name, bytes, expected] of cases) {
      it(`refuses ${name} without reaching a backend`, async () => {
        const before = legacy.seen.length + svc.seen.length;
        const answer = await rawExchange(proxy.port, bytes);
        expect(answer).to.match(expected);
        expect(legacy.seen.length + svc.seen.length, 'backend requests').to.equal(before);
        expect((await call(`${proxy.url}/fb/after`)).status, 'the proxy still serves').to.equal(200);
      });
    }
  });
});
