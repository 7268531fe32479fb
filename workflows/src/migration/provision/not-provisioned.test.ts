import { expect } from 'chai';
import { isFicusError } from '@ficus/common';
import { asNotProvisioned, isAccessDenied } from './not-provisioned.ts';

const mysqlError = (code: string, sqlMessage: string) => Object.assign(new Error(`select … - ${sqlMessage}`), { code, sqlMessage });

describe('asNotProvisioned: a denied or missing table becomes MIGRATION_NOT_PROVISIONED', () => {
  it('names what the worker was doing, the user, MariaDB\'s reason and what to run', () => {
    const e = asNotProvisioned(mysqlError('ER_TABLEACCESS_DENIED_ERROR', "SELECT command denied to user 'ficus_migrator'@'%' for table `legacy`.`users`"), 'parity of orders', 'ficus_migrator');
    expect(isFicusError(e) && e.code).to.equal('MIGRATION_NOT_PROVISIONED');
    expect((e as Error).message).to.match(/^parity of orders: MariaDB refused the migration worker's user ficus_migrator \(SELECT command denied .*`users`\); provision the migration worker as root \(`node workflows\/src\/migration\/provision.ts`/);
  });

  it('covers denied databases, tables, columns, privileges (BINLOG REPLAY) and missing tables; leaves every other error as it is', () => {
    for (const code of ['ER_DBACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR', 'ER_COLUMNACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_NO_SUCH_TABLE']) expect(isAccessDenied(mysqlError(code, 'x')), code).to.equal(true);
    const deadlock = mysqlError('ER_LOCK_DEADLOCK', 'Deadlock found');
    expect(asNotProvisioned(deadlock, 'backfill', 'u')).to.equal(deadlock);
    expect(asNotProvisioned('not an error', 'backfill', 'u')).to.equal('not an error');
  });
});
