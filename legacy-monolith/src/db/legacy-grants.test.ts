import { expect } from 'chai';
import { legacyGrants } from './legacy-grants.ts';

describe('legacyGrants: the monolith user\'s rights', () => {
  it('gives row rights on each of the monolith\'s own tables, once each', () => {
    const g = legacyGrants({ user: 'ficus_legacy', database: 'legacy', tables: ['users', 'products', 'orders', 'users'] });
    expect(g).to.deep.equal(['orders', 'products', 'users'].map((table) => ({ privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], user: 'ficus_legacy', database: 'legacy', table })));
  });

  it('leaves out the schema history and the CDC\'s tables, and grants no DDL', () => {
    const g = legacyGrants({ user: 'u', database: 'legacy', tables: ['knex_migrations', 'knex_migrations_lock', 'cdc_row_versions', 'cdc_partition_offsets', 'cdc_debezium_signal', 'sessions'] });
    expect(g.map((x) => x.table)).to.deep.equal(['sessions']);
    expect(g[0]!.privileges).to.not.include.members(['CREATE', 'DROP', 'ALTER', 'INDEX', 'REFERENCES']);
  });
});
