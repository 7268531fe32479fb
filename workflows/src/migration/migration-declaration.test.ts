import { expect } from 'chai';
import { parseMigrationDeclaration } from './migration-declaration.ts';

const valid = {
  name: 'catalog', service: 'catalog', flag: 'ficus.route.catalog', routes: ['catalog-products'],
  databases: { legacy: 'legacy', service: 'svc_catalog' },
  tables: [{ legacy: 'products', service: 'products', mapping: 'productsToCatalog' }],
  shadow: { holdSeconds: 60 },
  canary: [{ percent: 5, holdSeconds: 60 }, { percent: 100, holdSeconds: 60, requiresApproval: true }],
  gates: { errorRate: { max: 0.01 } },
};
const routes = [{ id: 'catalog-products', flag: 'ficus.route.catalog', serviceTargetName: 'catalog' }, { id: 'payments', flag: 'ficus.route.payments', serviceTargetName: 'payments' }];
const problems = (raw: unknown) => {
  try { parseMigrationDeclaration(raw, 'm.json', { routes }); } catch (e) { return ((e as { details: { problems: string[] } }).details.problems); }
  return [];
};

describe('migration declaration', () => {
  it('accepts a valid declaration and fills defaults', () => {
    const c = parseMigrationDeclaration(valid, 'm.json', { routes });
    expect(c.checkIntervalSeconds).to.equal(15);
    expect(c.shadow).to.deep.equal({ holdSeconds: 60, percent: 100, requiresApproval: false });
    expect(c.canary[0]!.requiresApproval).to.equal(false);
    expect(c.gates.errorRate).to.deep.equal({ max: 0.01, minRequests: 20 });
  });

  it('names each mistake with the file, the path and what was expected', () => {
    expect(problems({ ...valid, routes: ['catalog-product', 'payments'] })).to.deep.equal([
      'm.json: routes.0: unknown route "catalog-product"; the route table has catalog-products, payments',
      'm.json: routes.1: route "payments" is switched by flag "ficus.route.payments", not the migration\'s flag "ficus.route.catalog"',
      'm.json: routes.1: route "payments" goes to service "payments", not "catalog"',
    ]);
    expect(problems({ ...valid, tables: [{ legacy: 'product', service: 'products', mapping: 'productsToCatalog' }, { legacy: 'x', service: 'y', mapping: 'nope' }] })).to.deep.equal([
      'm.json: tables.0.legacy: mapping productsToCatalog reads legacy table "products", found "product"',
      'm.json: tables.1.mapping: unknown mapping "nope"; known: productsToCatalog, categoriesToCatalog, inventoryToStockLevels, adjustmentsToStockAdjustments, ordersToOrders, orderItemsToOrders, paymentsToOrders',
    ]);
    expect(problems({ ...valid, canary: [{ percent: 50, holdSeconds: 1 }, { percent: 25, holdSeconds: 1 }] })).to.deep.equal([
      "m.json: canary.1.percent: expected more than the previous step's 50%, found 25%",
      'm.json: canary.1.percent: the last step must be 100% (the service serves everyone), found 25%',
    ]);
    expect(problems({ ...valid, gates: {} })).to.deep.equal(['m.json: gates: expected at least one gate (a migration without gates cannot roll back by itself)']);
    const unknownKey = problems({ ...valid, gates: { errorRate: { max: 2 } }, bogus: 1 });
    expect(unknownKey).to.have.length(2);
    expect(unknownKey.join('\n')).to.match(/m\.json: \(root\): .*bogus/).and.match(/m\.json: gates\.errorRate\.max: .*1/);
    expect(problems({ ...valid, gates: { errorRate: { max: 0.1 }, metrics: { selector: '{job="proxy"}' } } })).to.deep.equal([
      'm.json: gates.metrics.selector: expected PromQL label matchers separated by commas, e.g. job="strangler-proxy",env=~"prod|eu", without braces',
    ]);
  });

  it('keeps a fleet selector for the metric gates (gates.metrics.selector)', () => {
    const d = parseMigrationDeclaration({ ...valid, gates: { errorRate: { max: 0.1 }, metrics: { selector: 'job="strangler-proxy",env="prod"' } } }, 'm.json');
    expect(d.gates.metrics).to.deep.equal({ source: 'promql', minWindowSeconds: 10, selector: 'job="strangler-proxy",env="prod"' });
    expect(parseMigrationDeclaration(valid, 'm.json').gates.metrics).to.deep.equal({ source: 'promql', minWindowSeconds: 10 });
  });

  it('rejects before anything starts with MIGRATION_CONFIG_INVALID', () => {
    expect(() => parseMigrationDeclaration({ ...valid, name: 'Bad Name' }, 'm.json')).to.throw(/MIGRATION_CONFIG_INVALID|invalid migration declaration/);
  });
});
