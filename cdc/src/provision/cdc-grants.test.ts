import { expect } from 'chai';
import { cdcGrants } from './cdc-grants.ts';

const grants = cdcGrants({ user: 'ficus_cdc', debeziumUser: 'debezium', databases: { legacy: 'legacy', catalog: 'svc_catalog', inventory: 'svc_inventory', orders: 'svc_orders' }, control: 'ficus_cdc' });
const on = (database: string, table: string, user = 'ficus_cdc') => grants.find((g) => g.user === user && g.database === database && g.table === table)?.privileges;

describe('cdcGrants: what the CDC user may do, and nothing more', () => {
  it('may set its GTID domain (BINLOG REPLAY), and has no other global privilege', () => {
    expect(grants.filter((g) => !g.database)).to.deep.equal([{ privileges: ['BINLOG REPLAY'], user: 'ficus_cdc' }]);
  });

  it('writes rows of the tables it applies into, both ways, and its bookkeeping next to them', () => {
    expect(on('svc_catalog', 'products')).to.deep.equal(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    expect(on('svc_orders', 'order_payments')).to.deep.equal(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    expect(on('legacy', 'inventory')).to.deep.equal(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    // read by the orders mapping and written by the reverse pipeline: both
    expect(on('legacy', 'products')).to.deep.equal(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    for (const db of ['legacy', 'svc_catalog', 'svc_inventory', 'svc_orders']) {
      expect(on(db, 'cdc_row_versions'), db).to.deep.equal(['SELECT', 'INSERT', 'UPDATE']);
      expect(on(db, 'cdc_partition_offsets'), db).to.deep.equal(['SELECT', 'INSERT', 'UPDATE']);
    }
  });

  it('reads only the source tables a mapping completes rows from; nothing of the services it does not sync', () => {
    expect(on('legacy', 'users')).to.deep.equal(['SELECT']);
    expect(on('legacy', 'sessions')).to.equal(undefined);
    expect(on('svc_orders', 'outbox')).to.equal(undefined);
    expect(on('svc_inventory', 'reservations')).to.equal(undefined);
  });

  it('reads and acknowledges the directions (never requests them) and writes the position ticks', () => {
    expect(on('ficus_cdc', 'cdc_directions')).to.deep.equal(['SELECT', 'UPDATE']);
    expect(on('ficus_cdc', 'cdc_position_ticks')).to.deep.equal(['SELECT', 'INSERT', 'UPDATE']);
  });

  it("gives Debezium's user each source's signal table", () => {
    for (const db of ['legacy', 'svc_catalog', 'svc_inventory', 'svc_orders']) expect(on(db, 'cdc_debezium_signal', 'debezium'), db).to.deep.equal(['INSERT', 'UPDATE', 'DELETE']);
  });
});
