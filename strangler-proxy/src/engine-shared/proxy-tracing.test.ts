import { expect } from 'chai';
import { waitFor } from '@ficus/common/core';
import { isValidTraceparent, startMemoryTracing, type ReadableSpan, type Tracing } from '@ficus/common/tracing';
import type { Proxy } from '../create-proxy.ts';
import { staticFlagSource } from '../socket-engine/fake-engine-context.ts';
import { startTestBackend, type TestBackend } from '../testing/test-backend.ts';
import { describeEachEngine, startTestProxy } from '../testing/test-proxy.ts';

const clientTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
const clientSpan = '00f067aa0ba902b7';
const sampled = `00-${clientTrace}-${clientSpan}-01`;
const unsampled = `00-${clientTrace}-${clientSpan}-00`;


describeEachEngine('proxy tracing: a span per proxied request and the traceparent the backend gets', () => {
  let mem: ReturnType<typeof startMemoryTracing>;
  let legacy: TestBackend;
  let svc: TestBackend;
  const proxies: Proxy[] = [];
  const proxyWith = async (sampleRatio: number) => {
    const tracing: Tracing = { ...mem.tracing, config: { ...mem.tracing.config, sampleRatio } };
    const p = await startTestProxy({
      targets: { legacy: legacy.origin, svc: svc.origin },
      routes: [
        { id: 'things', method: '*', path: '/things/*', service: 'svc', flag: 'f.things' },
        { id: 'mirrored', method: '*', path: '/mirrored/*', service: 'svc', flag: 'f.mirrored' },
      ],
      extra: { flags: staticFlagSource({ 'f.things': 'service', 'f.mirrored': 'shadow' }), tracing },
    });
    proxies.push(p);
    return p;
  };
  const proxySpans = (): ReadableSpan[] => mem.spans().filter((s) => s.name.startsWith('proxy '));
  const lastSeen = (b: TestBackend) => b.seen[b.seen.length - 1]!.headers;

  before(async () => {
    mem = startMemoryTracing('strangler-proxy', 1, { callerSamples: true });
    legacy = await startTestBackend('legacy');
    svc = await startTestBackend('svc');
  });
  after(async () => {
    for (const p of proxies) await p.close();
    await legacy.close();
    await svc.close();
    await mem.tracing.shutdown();
  });
  beforeEach(() => { mem.reset(); legacy.seen.length = 0; svc.seen.length = 0; });

  it('a sampled caller: the proxy span is its child; the backend gets the proxy span\'s context and the caller\'s tracestate', async () => {
    const p = await proxyWith(0);
    const r = await fetch(`${p.url}/things/1?x=1`, { headers: { traceparent: sampled, tracestate: 'vendor=abc' } });
    expect(r.status).to.equal(200);
    await waitFor(() => proxySpans().length === 1, { timeoutMs: 2_000 });
    const span = proxySpans()[0]!;
    expect(span.spanContext().traceId).to.equal(clientTrace);
    expect(span.parentSpanId).to.equal(clientSpan);
    expect(span.name).to.equal('proxy things');
    expect(span.attributes).to.include({ 'ficus.route': 'things', 'ficus.mode': 'service', 'ficus.upstream': svc.origin, 'ficus.side': 'service', 'http.response.status_code': 200, 'url.path': '/things/1' });
    const h = lastSeen(svc);
    expect(h.traceparent).to.equal(`00-${clientTrace}-${span.spanContext().spanId}-01`);
    expect(h.tracestate).to.equal('vendor=abc');
  });

  it('an unsampled caller: nothing recorded, its traceparent passes untouched', async () => {
    const p = await proxyWith(1);
    await (await fetch(`${p.url}/other`, { headers: { traceparent: unsampled } })).text();
    expect(lastSeen(legacy).traceparent).to.equal(unsampled);
    expect(proxySpans()).to.deep.equal([]);
  });

  it('no traceparent, ratio 0: nothing recorded, each request gets a new unsampled traceparent downstream', async () => {
    const p = await proxyWith(0);
    await (await fetch(`${p.url}/things/a`)).text();
    await (await fetch(`${p.url}/things/b`, { headers: { traceparent: 'garbage' } })).text();
    const [a, b] = svc.seen.map((s) => s.headers.traceparent as string);
    expect(isValidTraceparent(a) && isValidTraceparent(b), `${a} ${b}`).to.equal(true);
    expect(a!.endsWith('-00') && b!.endsWith('-00')).to.equal(true);
    expect(a!.slice(3, 35)).to.not.equal(b!.slice(3, 35));
    expect(proxySpans()).to.deep.equal([]);
  });

  it('no traceparent, ratio 1: a root span, a sampled traceparent downstream', async () => {
    const p = await proxyWith(1);
    await (await fetch(`${p.url}/legacy-page`, { method: 'POST', body: 'x=1', headers: { 'content-type': 'text/plain' } })).text();
    await waitFor(() => proxySpans().length === 1, { timeoutMs: 2_000 });
    const span = proxySpans()[0]!;
    expect(span.parentSpanId).to.equal(undefined);
    expect(span.attributes).to.include({ 'ficus.side': 'legacy', 'ficus.upstream': legacy.origin, 'http.request.method': 'POST' });
    expect(lastSeen(legacy).traceparent).to.equal(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
  });

  it('a shadow copy carries the same context as the primary: both backends\' spans are children of the proxy span', async () => {
    const p = await proxyWith(1);
    await (await fetch(`${p.url}/mirrored/1`)).text();
    await waitFor(() => svc.seen.length === 1 && proxySpans().length === 1, { timeoutMs: 2_000 });
    const span = proxySpans()[0]!;
    expect(span.attributes).to.include({ 'ficus.mode': 'shadow', 'ficus.shadow.target': svc.origin });
    const expected = `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;
    expect(lastSeen(legacy).traceparent).to.equal(expected);
    expect(lastSeen(svc).traceparent).to.equal(expected);
  });

  it('a backend failure marks the span as an error', async () => {
    const p = await proxyWith(1);
    legacy.handle((_req, res) => { res.writeHead(500); res.end('boom'); });
    try {
      await (await fetch(`${p.url}/broken`)).text();
      await waitFor(() => proxySpans().length === 1, { timeoutMs: 2_000 });
      expect(proxySpans()[0]!.status.code).to.equal(2);
      expect(proxySpans()[0]!.attributes['http.response.status_code']).to.equal(500);
    } finally {
      legacy.handle((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify({ backend: 'legacy', url: req.url })); });
    }
  });
});
