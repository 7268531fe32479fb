import { expect } from 'chai';
import { mariadbUnreachable, readStackEnv, type Logger } from '@ficus/common/core';
import { freePort } from '@ficus/common/testing';
import { openProxyOwnership } from './proxy-ownership-user.ts';

describe('the proxy\'s start when MariaDB does not answer for write ownership', function () {
  this.timeout(30_000);
  const login = { user: 'ficus_proxy', password: 'unused-here' };

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
