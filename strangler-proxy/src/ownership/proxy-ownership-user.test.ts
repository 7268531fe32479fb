import { expect } from 'chai';
import { readStackEnv, type Logger } from '@ficus/common/core';
import { freePort } from '@ficus/common/testing';
import { mariadbUnreachable, openProxyOwnership } from './proxy-ownership-user.ts';

describe('the proxy\'s start when MariaDB does not answer for write ownership', function () {
  this.timeout(30_000);
  const login = { user: 'ficus_proxy', password: 'unused-here' };

  it('tells MariaDB not answering from a refusal of the proxy\'s user', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ENOTFOUND', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR']) expect(mariadbUnreachable(Object.assign(new Error(code), { code })), code).to.equal(true);
    expect(mariadbUnreachable(Object.assign(new Error('pool'), { name: 'KnexTimeoutError' }))).to.equal(true);
    expect(mariadbUnreachable(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]))).to.equal(true);
    expect(mariadbUnreachable(new Error('wrapped', { cause: Object.assign(new Error('c'), { code: 'EHOSTUNREACH' }) }))).to.equal(true);
    for (const code of ['ER_ACCESS_DENIED_ERROR', 'ER_NO_SUCH_TABLE', 'ER_TABLEACCESS_DENIED_ERROR', undefined]) expect(mariadbUnreachable(Object.assign(new Error('x'), { code })), String(code)).to.equal(false);
    expect(mariadbUnreachable('ECONNREFUSED')).to.equal(false);
  });

  for (const provisionOnStart of [false, true]) {
    it(`starts with a store that keeps trying, and says so once (provisioning on start: ${provisionOnStart})`, async () => {
      // nothing listens on this port: MariaDB down
      const stack = { ...readStackEnv(), FICUS_MARIADB_PORT: await freePort() };
      const warnings: string[] = [];
      const log = { info: () => undefined, warn: (_o: unknown, msg: string) => { warnings.push(msg); }, error: () => undefined, debug: () => undefined } as unknown as Logger;
      const store = await openProxyOwnership(stack, { login, database: 'ficus_control', provisionOnStart }, log);
      try {
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.match(/MariaDB does not answer for write ownership: serving anyway; writes of ownership units wait, then get 503/);
        expect(warnings[0]!.includes('provisioning on start skipped')).to.equal(provisionOnStart);
        // the follower's reads fail (and are retried by it), they do not end the process
        const err = await store.all().then(() => undefined, (e: unknown) => e);
        expect(mariadbUnreachable(err), String(err)).to.equal(true);
      } finally {
        await store.knex.destroy();
      }
    });
  }
});
