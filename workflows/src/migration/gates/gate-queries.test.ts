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
    expect(q['errorRate.samples']).to.equal(defaultGateQueries.errorRate.samples.replaceAll('$routes', 'r').replaceAll('$window', '30s').replaceAll('$selector', ''));
  });

  it('narrows every default query to gates.metrics.selector (one fleet of several on the metrics server)', () => {
    const gates = { metrics: { selector: 'job="proxy-eu",env=~"prod|canary"' }, mismatchRate: { max: 0.01 }, errorRate: { max: 0.05 }, p99VsLegacy: { maxRatio: 1.5 } };
    const all = { ...gateQueriesFor(gates, ['r'], 'shadow', 10), ...gateQueriesFor(gates, ['r'], 'canary', 10) };
    expect(Object.keys(all)).to.have.length(7);
    for (const [name, q] of Object.entries(all)) {
      // every series selector of the query, each carrying the matchers after the route's
      const selectors = q.match(/\{[^}]*\}/g) ?? [];
      expect(selectors.length, name).to.be.greaterThan(0);
      for (const sel of selectors) expect(sel, `${name}: ${q}`).to.match(/^\{route=~"r",.*job="proxy-eu",env=~"prod\|canary"\}$/);
    }
    expect(all['errorRate.samples']).to.equal(
      'sum(increase(ficus_proxy_requests_total{route=~"r",side="service",job="proxy-eu",env=~"prod|canary"}[10s])) + (sum(increase(ficus_proxy_fallbacks_total{route=~"r",job="proxy-eu",env=~"prod|canary"}[10s])) or vector(0))');
    // an override gets the matchers where it asks for them
    const own = gateQueriesFor({ ...gates, errorRate: { max: 0.1, query: { value: 'max(my_ratio{route=~"$routes"$selector}[$window])' } } }, ['r'], 'canary', 30);
    expect(own['errorRate.value']).to.equal('max(my_ratio{route=~"r",job="proxy-eu",env=~"prod|canary"}[30s])');
  });

  it('without a selector renders the very queries it did before selectors existed (recorded runs hold them)', () => {
    const gates = { mismatchRate: { max: 0.01 }, errorRate: { max: 0.05 }, p99VsLegacy: { maxRatio: 1.5 } };
    const q = { ...gateQueriesFor(gates, ['r'], 'shadow', 10), ...gateQueriesFor({ ...gates, metrics: { source: 'promql' } }, ['r'], 'canary', 10) };
    for (const text of Object.values(q)) expect(text).to.not.contain('$').and.not.contain(',}');
    expect(q['mismatchRate.value']).to.equal(
      '(sum(rate(ficus_proxy_shadow_comparisons_total{route=~"r",outcome="mismatch"}[10s])) or vector(0)) / sum(rate(ficus_proxy_shadow_comparisons_total{route=~"r",outcome=~"mismatch|match|noise|lag"}[10s]))');
    expect(q['p99VsLegacy.samples']).to.equal('sum(increase(ficus_proxy_request_duration_seconds_count{route=~"r",side="service"}[10s]))');
  });

  it('accepts label matchers as a selector and refuses anything else, with the reason', () => {
    const ok = (selector: string) => gateMetricsSchema.safeParse({ selector }).success;
    const why = (m: unknown) => { const r = gateMetricsSchema.safeParse(m); return r.success ? 'accepted' : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '); };
    for (const s of ['job="strangler-proxy"', 'job="a", env=~"prod|eu" ,region!="us"', 'x!~"a\\"b"']) expect(ok(s), s).to.equal(true);
    for (const s of ['{job="a"}', 'job=a', 'job="a" or vector(1)', 'job="a"} or x{', 'job="a",', '', 'job=\'a\'']) {
      expect(why({ selector: s }), s).to.match(/^selector: expected PromQL label matchers separated by commas/);
    }
    expect(why({ selector: 'route="other"' })).to.match(/^selector: route is chosen by the migration's routes/);
    expect(why({ source: 'proxy', selector: 'job="a"' })).to.match(/^selector: a selector narrows PromQL; with source "proxy"/);
    expect(gateMetricsSchema.parse({ selector: 'job="a"' })).to.deep.equal({ source: 'promql', minWindowSeconds: 10, selector: 'job="a"' });
    expect(ratioQuerySchema.safeParse({ value: 'sum(rate(x{route=~"$routes"$selector}[$window]))' }).success).to.equal(true);
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
