import { expect } from 'chai';
import { ownershipRefusal } from './ownership-refusal.ts';

/** A mysql2 error as the driver reports it. */
const mysqlError = (code: string, sqlMessage: string) => Object.assign(new Error(sqlMessage), { code, sqlMessage });
const who = { user: 'ficus_proxy', database: 'ficus_control' };

describe("ownershipRefusal: MariaDB's refusals of the proxy's user, as stable codes naming what to run", () => {
  it('a refused sign-in names the user, the password setting and the proxy provisioning', () => {
    const e = ownershipRefusal(mysqlError('ER_ACCESS_DENIED_ERROR', "Access denied for user 'ficus_proxy'@'localhost' (using password: YES)"), who);
    expect(e?.code).to.equal('OWNERSHIP_NOT_PROVISIONED');
    expect(e?.message).to.contain('ficus_proxy').and.contain('FICUS_PROXY_DB_PASSWORD').and.contain('node strangler-proxy/src/provision.ts');
  });

  it('a missing grant names the rights needed and the proxy provisioning, not the ownership schema', () => {
    const e = ownershipRefusal(mysqlError('ER_TABLEACCESS_DENIED_ERROR', "DELETE command denied to user 'ficus_proxy'@'localhost' for table `ficus_control`.`ownership_proxies`"), who);
    expect(e?.code).to.equal('OWNERSHIP_NOT_PROVISIONED');
    expect(e?.message).to.contain('lacks a grant').and.contain('DELETE command denied').and.contain('FICUS_PROXY_PROVISION_ON_START=true');
    expect(e?.message).to.not.contain('workflows/src/migration/provision.ts');
  });

  it('a missing table or database names the ownership provisioning first, then the proxy provisioning', () => {
    for (const [code, message] of [['ER_NO_SUCH_TABLE', "Table 'ficus_control.ownership_units' doesn't exist"], ['ER_DBACCESS_DENIED_ERROR', "Access denied for user 'ficus_proxy'@'%' to database 'ficus_control'"], ['ER_BAD_DB_ERROR', "Unknown database 'ficus_control'"]] as const) {
      const e = ownershipRefusal(mysqlError(code, message), who);
      expect(e?.code, code).to.equal('OWNERSHIP_NOT_PROVISIONED');
      expect(e?.message, code).to.match(/node workflows\/src\/migration\/provision\.ts.*then provision the proxy's user/);
      expect(e?.details, code).to.deep.include({ database: 'ficus_control', user: 'ficus_proxy', mariadb: code });
    }
  });

  it('leaves other failures (MariaDB down, a timeout) as they are', () => {
    expect(ownershipRefusal(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:13306'), { code: 'ECONNREFUSED' }), who)).to.equal(undefined);
    expect(ownershipRefusal(new Error('boom'), who)).to.equal(undefined);
  });
});
