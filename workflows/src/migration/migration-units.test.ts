import { expect } from 'chai';
import { resolveUnits } from './migration-catalogue.ts';
import { parseMigrationDeclaration, type MigrationDeclaration } from './migration-declaration.ts';

const base = (name: string, extra: Record<string, unknown>): MigrationDeclaration => parseMigrationDeclaration({
  name, service: 'catalog', flag: 'ficus.route.catalog', routes: ['r'], databases: { legacy: 'legacy', service: 'svc_catalog' },
  tables: [{ legacy: 'products', service: 'products', mapping: 'productsToCatalog' }],
  shadow: { holdSeconds: 1 }, canary: [{ percent: 100, holdSeconds: 1 }], gates: { errorRate: { max: 0.1 } }, ...extra,
}, `${name}.json`);
const routes = [
  { id: 'r', flag: 'ficus.route.catalog', serviceTargetName: 'catalog' },
  { id: 'w1', flag: 'f', serviceTargetName: 'catalog', unit: 'shop', writes: true },
  { id: 'w2', flag: 'f', serviceTargetName: 'orders', unit: 'shop', writes: true },
];
const problems = (configs: MigrationDeclaration[], ctx = { routes }) => {
  try { resolveUnits(configs, ctx); return []; } catch (e) { return (e as { details: { problems: string[] } }).details.problems; }
};

describe('ownership units across the catalogue (decision 0013)', () => {
  const shop = { name: 'shop', writeRoutes: ['w1', 'w2'], tables: [{ legacy: 'products', mapping: 'productsToCatalog' }, { legacy: 'orders', mapping: 'ordersToOrders' }, { legacy: 'inventory', mapping: 'inventoryToStockLevels' }] };

  it('resolves a unit declared once and named by several migrations, with the CDC domains of its tables', () => {
    const [a, b] = resolveUnits([base('a', { units: [shop], writes: { unit: 'shop' } }), base('b', { writes: { unit: 'shop' } })], { routes });
    expect(a!.writeUnit).to.deep.equal(b!.writeUnit);
    expect(a!.writeUnit).to.deep.include({ name: 'shop', declaredIn: 'a', domains: ['catalog', 'orders', 'inventory'] });
  });

  it('refuses a table in two units, a unit declared twice, an unknown unit and a write route the unit does not list', () => {
    const other = { name: 'stock', writeRoutes: ['w2'], tables: [{ legacy: 'inventory', mapping: 'inventoryToStockLevels' }] };
    expect(problems([base('a', { units: [shop] }), base('b', { units: [other] })])).to.deep.include(
      'b.json: units: table "inventory" is in unit "stock" and in unit "shop": a table has one writer, so units that write the same table are one unit (decision 0013)');
    expect(problems([base('a', { units: [shop] }), base('b', { units: [shop] })])).to.deep.include(
      'b.json: units: unit "shop" is declared in a.json too: declare it once and name it in `writes.unit`');
    expect(problems([base('a', { writes: { unit: 'nope' } })], { routes: [routes[0]!] })).to.deep.equal(['a.json: writes.unit: no migration declares unit "nope"; declared: (none)']);
    expect(problems([base('a', { units: [{ ...shop, writeRoutes: ['w1'] }] })])).to.deep.equal(['a.json: units: unit "shop" does not list route "w2", which writes it (route table)']);
  });

  it('checks each write route carries the unit in the route table', () => {
    expect(() => parseMigrationDeclaration({ ...base('a', {}), units: [{ ...shop, writeRoutes: ['r'] }] }, 'a.json', { routes })).to.throw(/units\.0\.writeRoutes\.0: route "r" must carry "unit": "shop" in the route table/);
  });
});
