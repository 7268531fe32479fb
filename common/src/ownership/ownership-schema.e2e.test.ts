import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { withRootConnection } from '../db/provision-database.ts';
import { readStackEnv } from '../stack/stack-env.ts';
import { createTestDatabase } from '../testing/test-database.ts';
import { ownershipSchemaTable, ownershipTables } from './apply-ownership-schema.ts';
import { openOwnershipStore } from './ownership-store.ts';
import { provisionOwnership } from './provision-ownership.ts';

// The tables as the store created them at run time before the schema files (issue 21).
const oldStartUpDdl = [
  `CREATE TABLE IF NOT EXISTS ownership_units (
    unit VARCHAR(64) PRIMARY KEY, owner VARCHAR(8) NOT NULL, state VARCHAR(8) NOT NULL, version BIGINT NOT NULL,
    hold_until DATETIME(3) NULL, by_who VARCHAR(160) NOT NULL, updated_at DATETIME(3) NOT NULL) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS ownership_proxies (
    proxy_id VARCHAR(128) PRIMARY KEY, seen TEXT NOT NULL, inflight TEXT NOT NULL, heartbeat_at DATETIME(3) NOT NULL) ENGINE=InnoDB`,
  `CREATE TABLE IF NOT EXISTS ownership_log (
    id BIGINT AUTO_INCREMENT PRIMARY KEY, unit VARCHAR(64) NOT NULL, version BIGINT NOT NULL, owner VARCHAR(8) NOT NULL,
    state VARCHAR(8) NOT NULL, by_who VARCHAR(160) NOT NULL, note VARCHAR(500) NOT NULL, at DATETIME(3) NOT NULL, KEY (unit, id)) ENGINE=InnoDB`,
];

const columns = async (knex: Knex, database: string) => (await knex('information_schema.columns')
  .select({ t: 'table_name', c: 'column_name', type: 'column_type', nullable: 'is_nullable', key: 'column_key', extra: 'extra' })
  .where({ table_schema: database }).whereIn('table_name', [...ownershipTables]).orderBy(['table_name', 'ordinal_position'])) as unknown[];

const failureOf = (p: Promise<unknown>) => p.then(() => undefined, (e: { code?: string; message: string; details?: { missing?: string[] } }) => e);

describe('the write-ownership tables come from schema files, the store only checks them (e2e)', () => {
  const stack = readStackEnv();
  const dropped: string[] = [];
  const newName = (what: string) => { const n = `t_own_${what}_${randomBytes(4).toString('hex')}`; dropped.push(n); return n; };
  const olds: Array<Awaited<ReturnType<typeof createTestDatabase>>> = [];
  const oldDatabase = async () => { const d = await createTestDatabase('own_old'); olds.push(d); return d; };

  after(async () => {
    for (const d of olds) await d.drop();
    await withRootConnection(stack, async (admin) => { for (const d of dropped) await admin.raw('DROP DATABASE IF EXISTS ??', [d]); });
  });

  it('refuses to open a database that was not provisioned, naming what is missing and what to run, and creates nothing', async () => {
    const missingDb = newName('none');
    const e = await failureOf(openOwnershipStore(stack, missingDb));
    expect(e?.code).to.equal('OWNERSHIP_NOT_PROVISIONED');
    expect(e?.message).to.include(missingDb).and.include('node workflows/src/migration/provision.ts');
    const [rows] = (await withRootConnection(stack, (a) => a.raw('SELECT 1 FROM information_schema.schemata WHERE schema_name = ?', [missingDb]))) as [unknown[]];
    expect(rows).to.have.length(0);

    const old = await oldDatabase();
    await old.knex.raw(oldStartUpDdl[0]!);
    const partly = await failureOf(openOwnershipStore(stack, old.name));
    expect(partly?.code).to.equal('OWNERSHIP_NOT_PROVISIONED');
    expect(partly?.details?.missing).to.deep.equal(['ownership_log', 'ownership_proxies']);
    expect(await old.knex.schema.hasTable('ownership_log')).to.equal(false);
  });

  it('provisions a new database once when four provisioners run at the same time, and the store then works', async () => {
    const fresh = newName('fresh');
    const ran = await Promise.all([1, 2, 3, 4].map(() => provisionOwnership(stack, fresh)));
    expect(ran.flat()).to.deep.equal(['20251101000100_ownership_tables.ts']);
    expect(await provisionOwnership(stack, fresh)).to.deep.equal([]);
    const store = await openOwnershipStore(stack, fresh);
    try {
      await store.hold('shop', 'legacy', 3_000, 'e2e');
      const after = await store.release('shop', 'service', 'e2e', 'switched');
      expect([after.owner, after.state, after.version]).to.deep.equal(['service', 'steady', 2]);
      expect((await store.log('shop')).map((l) => l.note)).to.deep.equal(['switched', 'hold writes (3000 ms)']);
      expect(await store.knex(ownershipSchemaTable).count({ n: '*' }).first()).to.deep.equal({ n: 1 });
    } finally { await store.knex.destroy(); }
  });

  it('adopts a database made by the old start-up code with its rows, and gives new databases the same columns', async () => {
    const old = await oldDatabase();
    for (const ddl of oldStartUpDdl) await old.knex.raw(ddl);
    const at = new Date('2026-01-02T03:04:05.678Z');
    await old.knex('ownership_units').insert({ unit: 'shop', owner: 'service', state: 'steady', version: 7, hold_until: null, by_who: 'before', updated_at: at });
    await old.knex('ownership_log').insert({ unit: 'shop', version: 7, owner: 'service', state: 'steady', by_who: 'before', note: 'old row', at });
    expect(await provisionOwnership(stack, old.name)).to.deep.equal(['20251101000100_ownership_tables.ts']);
    const store = await openOwnershipStore(stack, old.name);
    try {
      expect(await store.get('shop')).to.include({ owner: 'service', version: 7, by: 'before' });
      expect((await store.log('shop')).map((l) => l.note)).to.deep.equal(['old row']);
    } finally { await store.knex.destroy(); }
    const fresh = newName('same');
    await provisionOwnership(stack, fresh);
    const made = await columns(old.knex, fresh);
    expect(made).to.have.length(19);
    expect(made).to.deep.equal(await columns(old.knex, old.name));
  });
});
