// Provisioning the monolith's own MariaDB user on the real MariaDB: its schema applied as root, row
// rights on its own tables and nothing else, and a clear NOT_READY when the user is not provisioned.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import knexFactory, { type Knex } from 'knex';
import { isFicusError, readStackEnv, withRootConnection } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { provisionLegacy } from './provision-legacy.ts';
import { assertLegacyProvisioned } from './legacy-login.ts';

const rejection = async (p: Promise<unknown>) => { try { await p; } catch (e) { return e; } throw new Error('expected a rejection'); };

describe('monolith provisioning: its own MariaDB user with row rights on its tables (e2e)', function () {
  this.timeout(60_000);
  const stack = readStackEnv();
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  const users: string[] = [];
  const pools: Knex[] = [];
  const as = (login: { user: string; password: string }) => {
    const k = knexFactory({ client: 'mysql2', connection: { host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, ...login, database: db.name }, pool: { min: 0, max: 1 } });
    pools.push(k);
    return k;
  };
  const login = () => { const l = { user: `leg_t${randomBytes(4).toString('hex')}`, password: randomBytes(12).toString('hex') }; users.push(l.user); return l; };

  before(async () => {
    db = await createTestDatabase('leg_prov');
    // a table of another package in the same database (the CDC's bookkeeping)
    await db.knex.raw('CREATE TABLE cdc_row_versions (stream VARCHAR(120) NOT NULL, row_key VARCHAR(255) NOT NULL, PRIMARY KEY (stream, row_key))');
  });
  after(async () => {
    for (const p of pools) await p.destroy();
    await withRootConnection(stack, async (admin) => { for (const u of users) await admin.raw(`DROP USER IF EXISTS ?@'%'`, [u]); });
    await db?.drop();
  });

  it('applies the schema, grants DML on the monolith\'s tables only, no DDL, and is idempotent', async () => {
    const l = login();
    const ran = await provisionLegacy(stack, { database: db.name, login: l });
    expect(ran).to.include('20250601000100_users_and_sessions.ts');
    expect(await provisionLegacy(stack, { database: db.name, login: l }), 'nothing runs twice').to.deep.equal([]);

    const k = as(l);
    await assertLegacyProvisioned(k, { user: l.user, database: db.name });
    const [id] = await k('categories').insert({ slug: 'p', name: 'P', created_at: new Date() });
    await k('categories').where({ id }).update({ name: 'Q' });
    await k('categories').where({ id }).delete();
    for (const sql of ['SELECT * FROM knex_migrations', 'SELECT * FROM cdc_row_versions', 'DROP TABLE sessions', 'CREATE TABLE x (id INT PRIMARY KEY)', 'ALTER TABLE users ADD COLUMN x INT']) {
      const e = await rejection(k.raw(sql));
      expect(String((e as { code?: string }).code), sql).to.match(/ACCESS_DENIED/);
    }
  });

  it('a user that was never provisioned is refused at start: NOT_READY naming the user and what to run', async () => {
    const l = login();
    await withRootConnection(stack, (admin) => admin.raw(`CREATE USER ?@'%' IDENTIFIED BY ?`, [l.user, l.password]));
    const e = await rejection(assertLegacyProvisioned(knexFactory({ client: 'mysql2', connection: { host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, ...l, database: db.name }, pool: { min: 0, max: 1 }, log: { warn: () => {}, error: () => {}, debug: () => {}, deprecate: () => {} } }), { user: l.user, database: db.name }));
    expect(isFicusError(e) && e.code).to.equal('NOT_READY');
    expect((e as Error).message).to.include(l.user).and.include('node legacy-monolith/src/provision.ts');
  });
});
