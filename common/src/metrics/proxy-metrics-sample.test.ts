import { expect } from 'chai';
import { mergeMetricsSamples, sampleFromProxyMetrics } from './proxy-metrics-sample.ts';

const text = (served: number, failed: number, fast: number) => [
  `ficus_proxy_requests_total{route="r",side="service",status_class="2xx"} ${served}`,
  `ficus_proxy_requests_total{route="r",side="service",status_class="5xx"} ${failed}`,
  `ficus_proxy_request_duration_seconds_bucket{route="r",side="service",le="0.01"} ${fast}`,
  `ficus_proxy_request_duration_seconds_bucket{route="r",side="service",le="+Inf"} ${served + failed}`,
  `ficus_proxy_shadow_comparisons_total{route="r",outcome="match"} ${served}`,
].join('\n');

describe('proxy metrics samples over several replicas', () => {
  it('adds the replicas\' counters and buckets route by route, at the latest time', () => {
    const a = sampleFromProxyMetrics(text(90, 10, 80), ['r'], 1000);
    const b = sampleFromProxyMetrics(text(30, 30, 20), ['r'], 1500);
    const m = mergeMetricsSamples([a, b])!;
    expect(m.at).to.equal(1500);
    expect(m.routes.r!.service).to.deep.equal({ requests: 160, errors: 40, buckets: [[0.01, 100], [Infinity, 160]] });
    expect(m.routes.r!.shadow).to.deep.equal({ match: 120 });
    expect(m.routes.r!.legacy.requests).to.equal(0);
  });

  it('gives nothing for no replica, and one replica\'s sample unchanged', () => {
    expect(mergeMetricsSamples([])).to.equal(undefined);
    const a = sampleFromProxyMetrics(text(5, 1, 5), ['r'], 7);
    expect(mergeMetricsSamples([a])).to.deep.equal(a);
  });
});
