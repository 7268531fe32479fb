import { expect } from 'chai';
import { ownershipTables } from '@ficus/common/ownership';
import { proxyOwnershipGrants } from './proxy-ownership-grants.ts';

describe("proxyOwnershipGrants: the proxy user's rights on the ownership database", () => {
  const grants = proxyOwnershipGrants({ user: 'ficus_proxy', database: 'ficus_control' });

  it('reads the units and upserts and forgets its own report, in the ownership database only', () => {
    expect(grants).to.deep.equal([
      { privileges: ['SELECT'], user: 'ficus_proxy', database: 'ficus_control', table: 'ownership_units' },
      { privileges: ['SELECT', 'INSERT', 'UPDATE', 'DELETE'], user: 'ficus_proxy', database: 'ficus_control', table: 'ownership_proxies' },
    ]);
  });

  it('never writes an owner, never touches the log, and grants no DDL', () => {
    const on = (table: string) => grants.filter((g) => g.table === table).flatMap((g) => g.privileges);
    expect(on('ownership_units')).to.deep.equal(['SELECT']);
    expect(on('ownership_log')).to.deep.equal([]);
    for (const ddl of ['CREATE', 'DROP', 'ALTER', 'INDEX', 'REFERENCES', 'GRANT OPTION', 'ALL PRIVILEGES']) expect(grants.flatMap((g) => g.privileges), ddl).to.not.include(ddl);
    // every table granted is one provisioning creates (a grant on a missing table is refused)
    for (const g of grants) expect(ownershipTables as readonly string[]).to.include(g.table);
  });
});
