import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '../testing/test-database.ts';
import { readStackEnv } from '../stack/stack-env.ts';
import { createServiceKnex, dropServiceDatabase, provisionServiceDatabase, withRootConnection } from './provision-database.ts';

describe('service database provisioning: one database and one user per service (e2e)', () => {
  const stack = readStackEnv();
  const name = `t_prov_${randomBytes(4).toString('hex')}`;
  const svc = { database: name, user: name, password: 'test-password-1' };
  let other: Awaited<ReturnType<typeof createTestDatabase>>;

  before(async () => {
    other = await createTestDatabase('prov_other');
    await other.knex.schema.createTable('secrets', (t) => { t.increments('id'); });
  });
  after(async () => {
    await withRootConnection(stack, (admin) => dropServiceDatabase(admin, svc));
    await other?.drop();
  });

  it('creates the database and a user that can use it and nothing else; re-running is harmless', async () => {
    await withRootConnection(stack, (admin) => provisionServiceDatabase(admin, svc));
    await withRootConnection(stack, (admin) => provisionServiceDatabase(admin, svc));
    const knex = createServiceKnex({ host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, ...svc, poolMax: 1 });
    try {
      await knex.schema.createTable('mine', (t) => { t.increments('id'); });
      await knex('mine').insert({});
      expect((await knex('mine')).length).to.equal(1);
      const denied = await knex.raw('SELECT * FROM ??.secrets', [other.name]).then(() => 'allowed', (e: { code?: string }) => e.code);
      expect(denied).to.match(/ACCESS_DENIED/);
    } finally {
      await knex.destroy();
    }
  });
});
