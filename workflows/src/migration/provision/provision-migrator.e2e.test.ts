// Provisioning the migration worker's MariaDB user on the real MariaDB: its state schema (adopting a
// database the old start-up code made), its grants from the declarations, and the coded errors when
// a table or a grant is missing.
import { expect } from 'chai';
import knexFactory, { type Knex } from 'knex';
import { isFicusError, readStackEnv, withRootConnection } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { applyLegacySchema } from '@ficus/legacy-monolith';
import { applyCatalogSchema } from '@ficus/catalog-service';
import { catalogMigrationDeclaration } from '../testing/migration-databases.ts';
import { provisionMigratorForTest } from '../testing/migrator-test-login.ts';
import { openStateStore } from '../create-migration-worker.ts';
import { migrationStateSchemaTable } from '../state/apply-state-schema.ts';
import { migratorConnection, type MigratorLogin } from './migrator-login.ts';
import { asNotProvisioned } from './not-provisioned.ts';

const rejection = async (p: Promise<unknown>) => { try { await p; } catch (e) { return e; } throw new Error('expected a rejection'); };

describe('migration worker provisioning: its own MariaDB user and state schema (e2e)', function () {
  this.timeout(60_000);
  const stack = readStackEnv();
  const dbs: Array<Awaited<ReturnType<typeof createTestDatabase>>> = [];
  const drops: Array<() => Promise<void>> = [];
  const pools: Knex[] = [];
  let legacy: string;
  let service: string;
  let state: Awaited<ReturnType<typeof createTestDatabase>>;
  const as = (login: MigratorLogin, database?: string) => { const k = knexFactory({ client: 'mysql2', connection: migratorConnection(stack, login, database), pool: { min: 0, max: 1 } }); pools.push(k); return k; };

  before(async () => {
    const [l, c, s] = await Promise.all([createTestDatabase('mp_legacy'), createTestDatabase('mp_catalog'), createTestDatabase('mp_state')]);
    dbs.push(l, c, s);
    await applyLegacySchema(l.knex);
    await applyCatalogSchema(c.knex);
    [legacy, service, state] = [l.name, c.name, s];
    // a state database as workers before the schema files left it: the tables, a row, no knex history
    await s.knex.raw('CREATE TABLE ficus_migration_audit (run_id VARCHAR(200) NOT NULL, seq INT UNSIGNED NOT NULL, migration VARCHAR(64) NOT NULL, `at` DATETIME(3) NOT NULL, step VARCHAR(64) NOT NULL, kind VARCHAR(16) NOT NULL, message TEXT NOT NULL, data TEXT NULL, PRIMARY KEY (run_id, seq), KEY (migration, `at`))');
    await s.knex('ficus_migration_audit').insert({ run_id: 'old', seq: 1, migration: 'catalog', at: new Date(), step: 'start', kind: 'step', message: 'from the old worker' });
  });
  after(async () => {
    for (const p of pools) await p.destroy();
    for (const d of drops) await d();
    for (const d of dbs) await d.drop();
  });

  it('adopts an old state database, grants what the declaration needs and nothing more, and is idempotent', async () => {
    const declarations = [catalogMigrationDeclaration('m', { legacy, service })];
    const first = await provisionMigratorForTest(stack, { stateDatabase: state.name, declarations });
    drops.push(first.drop);
    expect(await state.knex(migrationStateSchemaTable).pluck('name')).to.deep.equal(['20251001000100_migration_state.ts']);
    expect(await state.knex('ficus_migration_audit').pluck('message'), 'the old rows are kept').to.deep.equal(['from the old worker']);

    const store = await openStateStore({ stack, stateDatabase: state.name, login: first.login });
    pools.push(store.knex);
    expect((await store.store.audit('catalog')).map((e) => e.message)).to.deep.equal(['from the old worker']);
    await store.store.saveBackfill({ migration: 'm', table: 'products', method: 'copy', position: 3, rowsCopied: 3, done: false, signalId: null });
    await store.store.resetBackfill('m');

    const k = as(first.login);
    expect(await k(`${legacy}.products`).count({ n: '*' })).to.deep.equal([{ n: 0 }]);
    await k(`${service}.categories`).insert({ id: 1, slug: 's', name: 'S', created_at: new Date(), updated_at: new Date() });
    const denied = async (sql: string) => {
      const e = await rejection(k.raw(sql));
      expect(String((e as { code?: string }).code), sql).to.match(/ACCESS_DENIED/);
      return e;
    };
    await denied(`SELECT * FROM \`${legacy}\`.sessions`);
    await denied(`DELETE FROM \`${service}\`.categories`);
    await denied(`DROP TABLE \`${service}\`.categories`);
    await denied(`CREATE TABLE \`${state.name}\`.x (id INT PRIMARY KEY)`);
    const translated = asNotProvisioned(await denied(`UPDATE \`${legacy}\`.products SET name = 'x'`), 'the backfill of m', first.login.user);
    expect(isFicusError(translated) && translated.code).to.equal('MIGRATION_NOT_PROVISIONED');
    expect((translated as Error).message).to.include(first.login.user).and.include('node workflows/src/migration/provision.ts');

    const again = await provisionMigratorForTest(stack, { stateDatabase: state.name, declarations });
    drops.push(again.drop);
    expect(await state.knex(migrationStateSchemaTable).pluck('name'), 'no migration ran twice').to.have.length(1);
  });

  it('refuses to grant a table that does not exist yet (MIGRATION_TARGET_NOT_READY), naming it', async () => {
    const e = await rejection(provisionMigratorForTest(stack, { stateDatabase: state.name, declarations: [catalogMigrationDeclaration('m', { legacy, service: `${service}_none` })] }));
    expect(isFicusError(e) && e.code).to.equal('MIGRATION_TARGET_NOT_READY');
    expect((e as Error).message).to.include(`${service}_none.products`);
  });

  it('a worker user that was never provisioned cannot open the state store: MIGRATION_NOT_PROVISIONED naming what to run', async () => {
    const login = { user: `mig_tnone${Date.now() % 100_000}`, password: 'not-provisioned-1' };
    await withRootConnection(stack, (admin) => admin.raw(`CREATE USER ?@'%' IDENTIFIED BY ?`, [login.user, login.password]));
    drops.push(() => withRootConnection(stack, async (admin) => { await admin.raw(`DROP USER IF EXISTS ?@'%'`, [login.user]); }));
    const e = await rejection(openStateStore({ stack, stateDatabase: state.name, login }));
    expect(isFicusError(e) && e.code).to.equal('MIGRATION_NOT_PROVISIONED');
    expect((e as Error).message).to.include(login.user).and.include('node workflows/src/migration/provision.ts');
  });
});
