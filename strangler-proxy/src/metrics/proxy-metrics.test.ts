import { expect } from 'chai';
import { Registry } from 'prom-client';
import { createProxyMetrics, fallbackReasons } from './proxy-metrics.ts';
import { createShadowMetrics } from '../shadow/shadow-metrics.ts';
import { createShadowLanes } from '../shadow/shadow-lanes.ts';

const lines = async (registry: Registry, name: string) => (await registry.metrics()).split('\n').filter((l) => l.startsWith(`${name}{`));

describe('proxy metrics: the gates\' series exist at 0 before the first request', () => {
  it('declares requests by side and status class, durations and fallbacks by reason for every route', async () => {
    const m = createProxyMetrics({ staleness: () => undefined, stale: () => false });
    expect(await lines(m.registry, 'ficus_proxy_requests_total')).to.deep.equal([]);
    m.declareRoutes(['catalog-products', 'checkout']);
    const requests = await lines(m.registry, 'ficus_proxy_requests_total');
    expect(requests).to.have.length(2 * 2 * 5);
    expect(requests).to.include('ficus_proxy_requests_total{route="checkout",side="service",status_class="5xx"} 0');
    expect(await lines(m.registry, 'ficus_proxy_request_duration_seconds_count')).to.include('ficus_proxy_request_duration_seconds_count{route="catalog-products",side="legacy"} 0');
    const fallbacks = await lines(m.registry, 'ficus_proxy_fallbacks_total');
    expect(fallbacks).to.have.length(2 * fallbackReasons.length);
    expect(fallbacks).to.include('ficus_proxy_fallbacks_total{route="checkout",reason="circuit-open"} 0');
    // a request counts on the series declared, not on a new one
    m.observe('checkout', 'service', 503, 0.01);
    m.fallback('checkout', 'service-5xx');
    expect(await lines(m.registry, 'ficus_proxy_requests_total')).to.include('ficus_proxy_requests_total{route="checkout",side="service",status_class="5xx"} 1');
    expect(await lines(m.registry, 'ficus_proxy_fallbacks_total')).to.include('ficus_proxy_fallbacks_total{route="checkout",reason="service-5xx"} 1');
    expect(await lines(m.registry, 'ficus_proxy_requests_total')).to.have.length(20);
  });

  it('declares every shadow verdict for every route', async () => {
    const registry = new Registry();
    const shadow = createShadowMetrics(registry, createShadowLanes(4));
    shadow.declareRoutes(['catalog-products']);
    const verdicts = await lines(registry, 'ficus_proxy_shadow_comparisons_total');
    expect(verdicts.map((l) => /outcome="(\w+)"/.exec(l)![1]).sort()).to.deep.equal(['error', 'lag', 'match', 'mismatch', 'noise', 'skipped']);
    expect(verdicts.every((l) => l.endsWith(' 0'))).to.equal(true);
  });
});
