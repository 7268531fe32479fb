import { expect } from 'chai';
import { defaultGateQueries, gateQueriesFor, routesRegex } from './gate-queries.ts';
import { gateMetricsSchema, ratioQuerySchema } from './gate-query-schema.ts';
import { evaluateGates } from './evaluate-gates.ts';

describe('metric gate queries (PromQL over every proxy replica)', () => {
  it('renders the defaults with an escaped regex of exactly the routes and the window', () => {
    const q = gateQueriesFor({ errorRate: { max: 0.1 } }, ['catalog.products', 'catalog-item'], 'canary', 15);
    expect(Object.keys(q)).to.deep.equal(['errorRate.value', 'errorRate.samples']);
    const r = 'route=~"catalog\\\\.products|catalog-item"';
    const rescued = (fn: string) => `(sum(${fn}(ficus_proxy_fallbacks_total{${r}}[15s])) or vector(0))`;
    expect(q['errorRate.value']).to.equal(
      `((sum(rate(ficus_proxy_requests_total{${r},side="service",status_class="5xx"}[15s])) or vector(0)) + ${rescued('rate')}) / (sum(rate(ficus_proxy_requests_total{${r},side="service"}[15s])) + ${rescued('rate')})`);
    expect(q['errorRate.samples']).to.equal(`sum(increase(ficus_proxy_requests_total{${r},side="service"}[15s])) + ${rescued('increase')}`);
  });

  it('a route id with regex or quote characters matches only itself', () => {
    // PromQL string literal content: a backslash is written twice, a quote escaped
    expect(routesRegex(['a.b', 'c+d', 'e"f'])).to.equal('a\\\\.b|c\\\\+d|e\\"f');
  });

  it('asks only for the gates that apply in the phase: mismatch rate in shadow, p99 in canary, error rate in both', () => {
    const gates = { mismatchRate: { max: 0.01 }, errorRate: { max: 0.05 }, p99VsLegacy: { maxRatio: 1.5 } };
    expect(Object.keys(gateQueriesFor(gates, ['r'], 'shadow', 10))).to.deep.equal(['mismatchRate.value', 'mismatchRate.samples', 'errorRate.value', 'errorRate.samples']);
    expect(Object.keys(gateQueriesFor(gates, ['r'], 'canary', 10))).to.deep.equal(['errorRate.value', 'errorRate.samples', 'p99VsLegacy.service', 'p99VsLegacy.legacy', 'p99VsLegacy.samples']);
    // shadow error rate: the candidate's failed copies, not user answers
    expect(gateQueriesFor(gates, ['r'], 'shadow', 10)['errorRate.value']).to.contain('outcome="error"');
    expect(gateQueriesFor(gates, ['r'], 'canary', 10)['p99VsLegacy.service']).to.equal(
      'histogram_quantile(0.99, sum by (le) (rate(ficus_proxy_request_duration_seconds_bucket{route=~"r",side="service"}[10s])))');
  });

  it('uses a declaration override for the parts it gives and the defaults for the rest', () => {
    const q = gateQueriesFor({ errorRate: { max: 0.1, query: { value: 'max(my_error_ratio{route=~"$routes"}[$window])' } } }, ['r'], 'canary', 30);
    expect(q['errorRate.value']).to.equal('max(my_error_ratio{route=~"r"}[30s])');
    expect(q['errorRate.samples']).to.equal(defaultGateQueries.errorRate.samples.replaceAll('$routes', 'r').replaceAll('$window', '30s'));
  });

  it('refuses an override with an unknown placeholder, and defaults the source to promql', () => {
    expect(ratioQuerySchema.safeParse({ value: 'sum(rate(x{job="$job"}[$window]))' }).success).to.equal(false);
    expect(ratioQuerySchema.safeParse({ value: 'sum(rate(x{route=~"$routes"}[$window]))' }).success).to.equal(true);
    expect(gateMetricsSchema.parse({})).to.deep.equal({ source: 'promql', minWindowSeconds: 10 });
  });
});

describe('metric gates evaluated on fleet figures', () => {
  it('fails the error rate over every replica, waits without enough samples, passes under the threshold', () => {
    const g = { errorRate: { max: 0.1, minRequests: 20 } };
    const [bad] = evaluateGates(g, ['r'], { phase: 'canary', fleet: { 'errorRate.value': 0.175, 'errorRate.samples': 200 } });
    expect(bad).to.include({ gate: 'errorRate', ok: false, value: 0.175 });
    expect(bad!.detail).to.equal('17.50% of 200 service answers failed, every replica (max 10.00%)');
    const [thin] = evaluateGates(g, ['r'], { phase: 'canary', fleet: { 'errorRate.value': 0.5, 'errorRate.samples': 4 } });
    expect(thin).to.include({ ok: null });
    const [none] = evaluateGates(g, ['r'], { phase: 'canary', fleet: { 'errorRate.value': null, 'errorRate.samples': null } });
    expect(none).to.include({ ok: null });
    const [good] = evaluateGates(g, ['r'], { phase: 'canary', fleet: { 'errorRate.value': 0.02, 'errorRate.samples': 300 } });
    expect(good).to.include({ ok: true });
  });

  it('compares p99s from histogram_quantile, and keeps the legacy p99 as a reference', () => {
    const g = { p99VsLegacy: { maxRatio: 2, slackMs: 10, minRequests: 20 } };
    const [r] = evaluateGates(g, ['r'], { phase: 'canary', fleet: { 'p99VsLegacy.service': 0.12, 'p99VsLegacy.legacy': 0.05, 'p99VsLegacy.samples': 100 } });
    expect(r).to.include({ ok: false, value: 0.12, reference: 0.05 });
    expect(r!.threshold).to.be.closeTo(0.11, 1e-9);
    const [ok] = evaluateGates(g, ['r'], { phase: 'canary', fleet: { 'p99VsLegacy.service': 0.09, 'p99VsLegacy.legacy': null, 'p99VsLegacy.samples': 100 }, lastLegacyP99: 0.05 });
    expect(ok).to.include({ ok: true });
  });

  it('a metrics server that cannot be read holds the step, saying why', () => {
    const [r] = evaluateGates({ mismatchRate: { max: 0.01, minSamples: 20 } }, ['r'], { phase: 'shadow', metricsError: 'PROMQL_UNAVAILABLE: unreachable' });
    expect(r).to.include({ ok: null });
    expect(r!.detail).to.contain('PROMQL_UNAVAILABLE');
  });
});
