import { expect } from 'chai';
import type { Grant } from '@ficus/cdc';
import { parseMigrationDeclaration } from '../migration-declaration.ts';
import { migratorGrants } from './migrator-grants.ts';

const declaration = (tables: Array<{ legacy: string; service: string; mapping: string }>, service: string, units: unknown[] = []) => parseMigrationDeclaration({
  name: 'm', service: 'catalog', flag: 'f', routes: ['r'], databases: { legacy: 'legacy', service },
  tables, shadow: { holdSeconds: 1 }, canary: [{ percent: 100, holdSeconds: 1 }], gates: { errorRate: { max: 0.01 } }, units,
}, 'test');

const catalog = declaration([
  { legacy: 'categories', service: 'categories', mapping: 'categoriesToCatalog' },
  { legacy: 'products', service: 'products', mapping: 'productsToCatalog' },
], 'svc_catalog');
const orders = declaration([
  { legacy: 'orders', service: 'orders', mapping: 'ordersToOrders' },
  { legacy: 'order_items', service: 'order_items', mapping: 'orderItemsToOrders' },
], 'svc_orders', [{
  name: 'shop', writeRoutes: ['orders-write'], tables: [{ legacy: 'orders', mapping: 'ordersToOrders' }],
  quiesce: [
    { side: 'service', database: 'orders', table: 'orders', where: "status = 'pending'", what: 'sagas' },
    { side: 'service', database: 'inventory', table: 'reservations', where: "status = 'held'", what: 'holds' },
  ],
}]);
const sync = { control: 'ficus_cdc', ownershipDatabase: 'ficus_control', databases: { legacy: 'legacy', catalog: 'svc_catalog', inventory: 'svc_inventory', orders: 'svc_orders' } };

const on = (grants: Grant[], at: string) => grants.filter((g) => `${g.database}.${g.table}` === at).map((g) => g.privileges.join(','));

describe('migratorGrants: the migration worker user\'s rights, computed from the declarations', () => {
  it('gives DML on its state tables, SELECT on the legacy tables it compares and copies, SELECT/INSERT/UPDATE on the service tables it backfills', () => {
    const g = migratorGrants({ user: 'ficus_migrator', stateDatabase: 'ficus_migrations', declarations: [catalog] });
    expect(g.map((x) => (x.table ? `${x.database}.${x.table} ${x.privileges.join(',')}` : `*.* ${x.privileges.join(',')}`))).to.deep.equal([
      '*.* BINLOG REPLAY',
      'ficus_migrations.ficus_migration_audit SELECT,INSERT,UPDATE,DELETE',
      'ficus_migrations.ficus_migration_backfill SELECT,INSERT,UPDATE,DELETE',
      'legacy.categories SELECT',
      'svc_catalog.categories SELECT,INSERT,UPDATE',
      'legacy.products SELECT',
      'svc_catalog.products SELECT,INSERT,UPDATE',
    ]);
    expect(g.every((x) => x.user === 'ficus_migrator')).to.equal(true);
  });

  it('reads the legacy tables a mapping completes rows from and the tables a parity condition reads, once each', () => {
    const g = migratorGrants({ user: 'u', stateDatabase: 's', declarations: [orders] });
    expect(on(g, 'legacy.users'), 'orders mapping reads users').to.deep.equal(['SELECT']);
    expect(on(g, 'legacy.products'), 'order items mapping reads products').to.deep.equal(['SELECT']);
    expect(on(g, 'legacy.orders'), 'compared, and read by the items condition').to.deep.equal(['SELECT']);
    expect(on(g, 'svc_orders.orders'), 'backfilled, and read by the items condition').to.deep.equal(['SELECT,INSERT,UPDATE']);
  });

  it('with sync control: requests directions, ticks and reads positions, holds and releases ownership, counts quiesce tables, signals snapshots', () => {
    const g = migratorGrants({ user: 'u', stateDatabase: 's', declarations: [catalog, orders], sync });
    expect(on(g, 'ficus_cdc.cdc_directions')).to.deep.equal(['SELECT,INSERT,UPDATE']);
    expect(on(g, 'ficus_cdc.cdc_position_ticks')).to.deep.equal(['SELECT,INSERT,UPDATE']);
    for (const db of ['legacy', 'svc_catalog', 'svc_inventory', 'svc_orders']) expect(on(g, `${db}.cdc_partition_offsets`), db).to.deep.equal(['SELECT']);
    expect(on(g, 'legacy.cdc_debezium_signal')).to.deep.equal(['INSERT']);
    expect(on(g, 'ficus_control.ownership_units')).to.deep.equal(['SELECT,INSERT,UPDATE']);
    expect(on(g, 'ficus_control.ownership_log')).to.deep.equal(['SELECT,INSERT']);
    expect(on(g, 'ficus_control.ownership_proxies')).to.deep.equal(['SELECT']);
    expect(on(g, 'svc_inventory.reservations'), 'a quiesce check').to.deep.equal(['SELECT']);
    expect(on(g, 'svc_orders.orders'), 'quiesce adds nothing to the backfill\'s rights').to.deep.equal(['SELECT,INSERT,UPDATE']);
  });

  it('grants no DDL, no GRANT OPTION and nothing database- or server-wide but BINLOG REPLAY', () => {
    const g = migratorGrants({ user: 'u', stateDatabase: 's', declarations: [catalog, orders], sync });
    const all = new Set(g.flatMap((x) => x.privileges));
    expect([...all].sort()).to.deep.equal(['BINLOG REPLAY', 'DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    expect(g.filter((x) => !x.table).map((x) => x.privileges)).to.deep.equal([['BINLOG REPLAY']]);
    expect(new Set(g.map((x) => `${x.database}.${x.table}`)).size, 'one grant per table').to.equal(g.length);
  });

  it('without declarations only the state tables: no sync writer, so no BINLOG REPLAY', () => {
    const g = migratorGrants({ user: 'u', stateDatabase: 's', declarations: [] });
    expect(g.map((x) => `${x.database}.${x.table}`)).to.deep.equal(['s.ficus_migration_audit', 's.ficus_migration_backfill']);
  });
});
