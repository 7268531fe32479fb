import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { jaegerUrl, otlpHttpEndpoint } from './jaeger.ts';

const waitForTrace = async (traceId: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await fetch(`${jaegerUrl}/api/traces/${traceId}`, { signal: AbortSignal.timeout(2000) });
    if (res.ok) return (await res.json()) as { data: Array<{ traceID: string; spans: Array<{ operationName: string; references: Array<{ spanID: string }>; tags: Array<{ key: string; value: unknown }> }>; processes: Record<string, { serviceName: string }> }> };
    if (Date.now() > deadline) throw new Error(`trace ${traceId} not in Jaeger after ${timeoutMs} ms (last answer ${res.status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

describe('Jaeger takes OTLP over HTTP and answers for the trace on its query API (e2e)', () => {
  it('stores a two-span trace posted to /v1/traces, parent link and attributes included', async () => {
    const traceId = randomBytes(16).toString('hex');
    const [root, child] = [randomBytes(8).toString('hex'), randomBytes(8).toString('hex')];
    const service = `e2e-otlp-${randomBytes(3).toString('hex')}`;
    const now = BigInt(Date.now()) * 1_000_000n;
    const span = (spanId: string, name: string, parentSpanId: string, startNs: bigint, endNs: bigint) => ({
      traceId, spanId, parentSpanId, name, kind: 2,
      startTimeUnixNano: String(startNs), endTimeUnixNano: String(endNs),
      attributes: [{ key: 'http.route', value: { stringValue: '/api/checkout' } }],
    });
    const res = await fetch(`${otlpHttpEndpoint}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ resourceSpans: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
        scopeSpans: [{ scope: { name: 'e2e' }, spans: [span(root, 'POST /api/checkout', '', now, now + 5_000_000n), span(child, 'placeOrder', root, now + 1_000_000n, now + 4_000_000n)] }],
      }] }),
    });
    expect(res.status).to.equal(200);

    const { data } = await waitForTrace(traceId, 10_000);
    expect(data).to.have.length(1);
    const spans = data[0]!.spans;
    expect(spans.map((s) => s.operationName).sort()).to.deep.equal(['POST /api/checkout', 'placeOrder']);
    expect(spans.find((s) => s.operationName === 'placeOrder')!.references.map((r) => r.spanID)).to.deep.equal([root]);
    expect(Object.values(data[0]!.processes).map((p) => p.serviceName)).to.deep.equal([service]);
    const services = (await (await fetch(`${jaegerUrl}/api/services`)).json()) as { data: string[] };
    expect(services.data).to.include(service);
  });
});
