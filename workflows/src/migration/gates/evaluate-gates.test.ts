import { expect } from 'chai';
import { parsePrometheusText } from '@ficus/common/prometheus-text';
import { sampleFromProxyMetrics } from '@ficus/common/proxy-metrics-sample';
import { evaluateGates, quantileOf } from './evaluate-gates.ts';

const metrics = (o: { s2: number; s5: number; l2: number; fast: number; slow: number; match: number; mismatch: number }) => `
# HELP ficus_proxy_requests_total Requests
# TYPE ficus_proxy_requests_total counter
ficus_proxy_requests_total{route="cat",side="service",status_class="2xx"} ${o.s2}
ficus_proxy_requests_total{route="cat",side="service",status_class="5xx"} ${o.s5}
ficus_proxy_requests_total{route="cat",side="legacy",status_class="2xx"} ${o.l2}
ficus_proxy_requests_total{route="other",side="service",status_class="5xx"} 999
ficus_proxy_request_duration_seconds_bucket{le="0.01",route="cat",side="service"} ${o.fast}
ficus_proxy_request_duration_seconds_bucket{le="0.1",route="cat",side="service"} ${o.fast + o.slow}
ficus_proxy_request_duration_seconds_bucket{le="+Inf",route="cat",side="service"} ${o.fast + o.slow}
ficus_proxy_request_duration_seconds_bucket{le="0.01",route="cat",side="legacy"} ${o.l2}
ficus_proxy_request_duration_seconds_bucket{le="0.1",route="cat",side="legacy"} ${o.l2}
ficus_proxy_request_duration_seconds_bucket{le="+Inf",route="cat",side="legacy"} ${o.l2}
ficus_proxy_shadow_comparisons_total{route="cat",outcome="match"} ${o.match}
ficus_proxy_shadow_comparisons_total{route="cat",outcome="mismatch"} ${o.mismatch}
`;

describe('migration gates (pure)', () => {
  it('parses the Prometheus text format with escaped labels', () => {
    expect(parsePrometheusText('# c\nx_total{a="b\\"c",le="+Inf"} 3\ny 1.5\n')).to.deep.equal([
      { name: 'x_total', labels: { a: 'b"c', le: '+Inf' }, value: 3 }, { name: 'y', labels: {}, value: 1.5 },
    ]);
  });

  it('computes quantiles from bucket differences', () => {
    expect(quantileOf([[0.01, 10], [Infinity, 10]], [[0.01, 60], [Infinity, 110]], 0.99)).to.deep.equal({ value: 0.01, count: 100 });
    expect(quantileOf([[0.01, 10], [0.1, 10], [Infinity, 10]], [[0.01, 109], [0.1, 110], [Infinity, 110]], 0.99)).to.deep.equal({ value: 0.01, count: 100 });
    expect(quantileOf([], [], 0.99)).to.deep.equal({ value: null, count: 0 });
  });

  it('passes, fails and waits on windows of the proxy counters', () => {
    const gates = { errorRate: { max: 0.05, minRequests: 10 }, p99VsLegacy: { maxRatio: 2, slackMs: 5, minRequests: 10 }, mismatchRate: { max: 0.01, minSamples: 10 } };
    const before = sampleFromProxyMetrics(metrics({ s2: 100, s5: 0, l2: 100, fast: 100, slow: 0, match: 50, mismatch: 0 }), ['cat'], 0);
    const good = sampleFromProxyMetrics(metrics({ s2: 200, s5: 1, l2: 200, fast: 201, slow: 0, match: 100, mismatch: 0 }), ['cat'], 1);
    const r = evaluateGates(gates, ['cat'], { phase: 'canary', before, after: good });
    expect(r.map((g) => [g.gate, g.ok])).to.deep.equal([['errorRate', true], ['p99VsLegacy', true]]);
    const slowAndFailing = sampleFromProxyMetrics(metrics({ s2: 150, s5: 10, l2: 200, fast: 110, slow: 50, match: 100, mismatch: 0 }), ['cat'], 1);
    const bad = evaluateGates(gates, ['cat'], { phase: 'canary', before, after: slowAndFailing });
    expect(bad.map((g) => [g.gate, g.ok])).to.deep.equal([['errorRate', false], ['p99VsLegacy', false]]);
    expect(bad[0]!.detail).to.equal('10 of 60 service answers failed (16.67%, max 5.00%)');
    const shadow = evaluateGates(gates, ['cat'], { phase: 'shadow', before, after: sampleFromProxyMetrics(metrics({ s2: 100, s5: 0, l2: 100, fast: 100, slow: 0, match: 60, mismatch: 2 }), ['cat'], 1) });
    expect(shadow.map((g) => [g.gate, g.ok, g.value])).to.deep.equal([['mismatchRate', false, 2 / 12], ['errorRate', true, 0]]);
    const thin = evaluateGates(gates, ['cat'], { phase: 'canary', before, after: before });
    expect(thin.map((g) => g.ok)).to.deep.equal([null, null]);
    const unreadable = evaluateGates(gates, ['cat'], { phase: 'canary', metricsError: 'ECONNREFUSED' });
    expect(unreadable[0]).to.include({ ok: null, detail: 'proxy metrics not readable: ECONNREFUSED' });
  });

  it('judges probes, CDC lag and parity', () => {
    const r = evaluateGates({ probes: { paths: ['/a'], maxMismatchRate: 0, ignoreKeys: [] }, cdcLag: { maxEvents: 100, maxSeconds: 2 }, parity: { maxDifferences: 0, atEachStep: false } }, ['cat'], {
      phase: 'canary', probe: { total: 3, mismatched: 1, failed: 0, examples: ['/a: $.items[0].price'] }, lag: { events: 5, seconds: 3.5 }, parity: { clean: true, differencesTotal: 0, rowsCompared: 10, summary: 'clean' },
    });
    expect(r.map((g) => [g.gate, g.ok])).to.deep.equal([['cdcLag', false], ['probes', false], ['parity', true]]);
    expect(r[1]!.detail).to.equal('1 of 3 probes answered differently, 0 failed: /a: $.items[0].price');
  });
});
