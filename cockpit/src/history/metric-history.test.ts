import { expect } from 'chai';
import { sampleFromProxyMetrics } from '@ficus/common/proxy-metrics-sample';
import { cdcSampleOf, createMetricHistory, historyPoint, type Sample } from './metric-history.ts';

const proxyText = (o: { legacy: number; legacy5xx: number; service: number; match: number; mismatch: number; slow: number }) => `
# HELP ficus_proxy_requests_total x
ficus_proxy_requests_total{route="r",side="legacy",status_class="2xx"} ${o.legacy - o.legacy5xx}
ficus_proxy_requests_total{route="r",side="legacy",status_class="5xx"} ${o.legacy5xx}
ficus_proxy_requests_total{route="r",side="service",status_class="2xx"} ${o.service}
ficus_proxy_request_duration_seconds_bucket{le="0.01",route="r",side="legacy"} ${o.legacy - o.slow}
ficus_proxy_request_duration_seconds_bucket{le="0.5",route="r",side="legacy"} ${o.legacy}
ficus_proxy_request_duration_seconds_bucket{le="+Inf",route="r",side="legacy"} ${o.legacy}
ficus_proxy_shadow_comparisons_total{route="r",outcome="match"} ${o.match}
ficus_proxy_shadow_comparisons_total{route="r",outcome="mismatch"} ${o.mismatch}
ficus_proxy_shadow_candidate_duration_seconds_bucket{le="0.025",route="r"} ${o.match + o.mismatch}
ficus_proxy_shadow_candidate_duration_seconds_bucket{le="+Inf",route="r"} ${o.match + o.mismatch}
`;
const cdcText = (lag: number, n: number) => `
ficus_cdc_consumer_lag_events{stream="a",partition="0"} ${lag}
ficus_cdc_consumer_lag_events{stream="b",partition="0"} 1
ficus_cdc_end_to_end_lag_seconds_bucket{le="0.1",stream="a"} ${n}
ficus_cdc_end_to_end_lag_seconds_bucket{le="1",stream="a"} ${n + 1}
ficus_cdc_end_to_end_lag_seconds_bucket{le="+Inf",stream="a"} ${n + 1}
`;
const sample = (at: number, p: Parameters<typeof proxyText>[0], lag: number, n: number): Sample =>
  ({ at, proxy: sampleFromProxyMetrics(proxyText(p), ['r'], at), cdc: cdcSampleOf(cdcText(lag, n)) });

describe('cockpit metric history', () => {
  it('turns two samples into rates over the interval', () => {
    const a = sample(0, { legacy: 100, legacy5xx: 0, service: 0, match: 10, mismatch: 0, slow: 0 }, 0, 10);
    const b = sample(5000, { legacy: 200, legacy5xx: 5, service: 0, match: 28, mismatch: 2, slow: 2 }, 7, 110);
    const p = historyPoint(a, b);
    expect(p.at).to.equal(5000);
    expect(p.routes.r).to.deep.include({ matchRate: 0.9, compared: 20, requests: { legacy: 100, service: 0 } });
    expect(p.routes.r!.errorRate).to.deep.equal({ legacy: 0.05, service: null });
    // 2 of 100 slow: the p99 is the 0.5 s bucket; the service serves nobody, so its p99 is the shadow copies'
    expect(p.routes.r!.p99Ms).to.deep.equal({ legacy: 500, service: 25 });
    expect(p.cdc).to.deep.equal({ lagEvents: 8, lagP99Ms: 100 });
  });

  it('gives no figure where nothing happened, and none below zero after a restart reset the counters', () => {
    const a = sample(0, { legacy: 100, legacy5xx: 1, service: 0, match: 10, mismatch: 1, slow: 0 }, 0, 10);
    const p = historyPoint(a, sample(1, { legacy: 5, legacy5xx: 0, service: 0, match: 0, mismatch: 0, slow: 0 }, 0, 10));
    expect(p.routes.r).to.deep.include({ matchRate: null, compared: 0 });
    expect(p.routes.r!.errorRate.legacy).to.equal(null);
    expect(historyPoint({ at: 0 }, { at: 1 })).to.deep.equal({ at: 1, routes: {}, cdc: { lagEvents: null, lagP99Ms: null } });
  });

  it('keeps the last N points and survives a failing sample', async () => {
    let n = 0;
    const errors: unknown[] = [];
    const h = createMetricHistory({ intervalMs: 60_000, points: 3, onError: (e) => errors.push(e), sample: async () => { n++; if (n === 3) throw new Error('down'); return { at: n }; } });
    for (let i = 0; i < 7; i++) await h.sampleNow();
    expect(errors).to.have.length(1);
    expect(h.points().map((p) => p.at)).to.deep.equal([5, 6, 7]);
  });
});
