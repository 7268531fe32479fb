import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { loadRouteTable } from '../routes/load-route-table.ts';
import { defaultTargets } from '../config.ts';
import { buildShadowRules, loadShadowRules } from './shadow-rules.ts';

const o = { routeIds: ['catalog', 'orders'], targets: { legacy: 'http://127.0.0.1:1', catalog: 'http://127.0.0.1:2', sandbox: 'http://127.0.0.1:3' } };

describe('shadow rules validation', () => {
  const bad: Array<[string, unknown, string[]]> = [
    ['an unknown route id', { routes: { nope: {} } }, ['f.json: routes["nope"]: expected a route id from the route table (catalog, orders)']],
    ['a sample rate above 1', { routes: { catalog: { sampleRate: 2 } } }, ['f.json: routes["catalog"].sampleRate: expected 0–1']],
    ['a malformed ignore path', { routes: { catalog: { ignore: ['items.price'] } } }, ['f.json: routes["catalog"].ignore.0: expected a path starting with "$" (e.g. "$.items[*].price" or "$..updatedAt")']],
    ['an unknown sandbox target', { routes: { orders: { writes: { safeBy: 'sandbox', target: 'nowhere' } } } }, ['f.json: routes["orders"].writes.target: expected a known target (legacy, catalog, sandbox), found "nowhere"']],
    ['a typo field', { defaults: { sampleRat: 1 } }, ['f.json: defaults: unknown field(s) "sampleRat"']],
    ['a tolerance without a bound', { routes: { catalog: { tolerance: [{ path: '$.p' }] } } }, ['f.json: routes["catalog"].tolerance.0: expected "absolute" or "relative"']],
    ['one line per mistake', { routes: { catalog: { maxQueue: -1, normalise: [{ path: '$.a', as: 'date' }] } } }, [
      'f.json: routes["catalog"].maxQueue: expected at least 0',
      'f.json: routes["catalog"].normalise.0.as: expected "timestamp", "uuid" or "generated-id"',
    ]],
  ];
  for (const [name, input, problems] of bad) {
    it(`refuses ${name}`, () => {
      try {
        buildShadowRules(input, 'f.json', o);
        expect.fail('accepted');
      } catch (e) {
        expect((e as { code: string }).code).to.equal('SHADOW_RULES_INVALID');
        expect((e as { details: { problems: string[] } }).details.problems).to.deep.equal(problems);
      }
    });
  }

  it('merges defaults with a route (lists add up, scalars override) and resolves sandbox targets', () => {
    const rules = buildShadowRules({
      defaults: { sampleRate: 0.5, ignore: ['$.meta'], redact: { paths: ['$..phone'] } },
      routes: { orders: { sampleRate: 1, ignore: ['$.at'], writes: { safeBy: 'sandbox', target: 'sandbox' } } },
    }, 'f.json', o);
    expect(rules.forRoute('catalog').sampleRate).to.equal(0.5);
    expect(rules.forRoute('orders').sampleRate).to.equal(1);
    expect(rules.forRoute('orders').compare.ignore).to.have.length(2);
    expect(rules.forRoute('orders').writes).to.deep.equal({ kind: 'sandbox', target: 'http://127.0.0.1:3', targetName: 'sandbox' });
    expect(rules.forRoute('catalog').writes).to.equal(undefined);
    expect(rules.forRoute('orders').redaction.headers.has('cookie'), 'built-in redaction always applies').to.equal(true);
  });

  it('accepts the repository rules file against the repository route table', () => {
    const file = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
    const table = loadRouteTable(file('routes.json'), { targets: defaultTargets, timeoutMs: 1000 });
    const rules = loadShadowRules(file('shadow-rules.json'), { routeIds: table.routes.map((r) => r.id), targets: defaultTargets });
    expect(rules.routeIds).to.include('catalog-products');
    expect(rules.forRoute('catalog-products').noise?.secondLegacyCall).to.equal(true);
  });
});
