import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { createLogger, readStackEnv, waitFor, mariadbRootConnection } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { debeziumUser } from '@ficus/stack';
import { createConnectClient } from '../connectors/connect-client.ts';
import { debeziumMariadbConfig } from '../connectors/debezium-config.ts';
import { startApplier } from './applier.ts';
import { createCdcMetrics } from './cdc-metrics.ts';
import { createKnexApplierStore } from './knex-applier-store.ts';
import { applyCdcSyncedSchema } from '../provision/apply-cdc-schema.ts';
import { createSyncWriterKnex, SYNC_GTID_DOMAIN } from './sync-writer-knex.ts';
import { decodeBatch } from './plan-batch.ts';
import type { TableMapping } from './table-mapping-type.ts';

const itemMapping = (db: string): TableMapping => ({
  sourceTable: `${db}.items`,
  targetTable: 'catalog_items',
  targetKey: ['item_id'],
  sourceRow: z.object({ id: z.number().int(), name: z.string().max(40), price_cents: z.number().int() }),
  toTarget: (r: { id: number; name: string; price_cents: number }) => ({ item_id: r.id, title: r.name, price: r.price_cents }),
});

describe('cdc applier on the real stack', () => {
  const stack = readStackEnv();
  const connect = createConnectClient(stack.FICUS_CONNECT_URL);
  const kafka = new Kafka({ clientId: 'cdc-e2e', brokers: stack.FICUS_KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
  const suffix = randomBytes(3).toString('hex');
  const connectors: string[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  let src: Awaited<ReturnType<typeof createTestDatabase>>;
  let dst: Awaited<ReturnType<typeof createTestDatabase>>;
  const metrics = createCdcMetrics();

  const addConnector = async (name: string, db: string, table: string, snapshotMode: 'initial' | 'no_data') => {
    await connect.putConnector(name, debeziumMariadbConfig(
      { name, topicPrefix: name, databases: [db], tables: [`${db}.${table}`], serverId: 10_000 + Math.floor(Math.random() * 50_000), snapshotMode },
      { host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: debeziumUser.user, password: debeziumUser.password, kafkaBrokers: stack.FICUS_KAFKA_BROKERS },
    ));
    connectors.push(name);
    await waitFor(async () => (await connect.status(name)).tasks[0]?.state === 'RUNNING', { timeoutMs: 60_000, what: `${name} running` });
  };

  before(async () => {
    src = await createTestDatabase('cdc_src');
    dst = await createTestDatabase('cdc_dst');
    await src.knex.schema.createTable('items', (t) => { t.increments('id').primary(); t.string('name', 100).notNullable(); t.integer('price_cents').notNullable(); });
    await dst.knex.schema.createTable('catalog_items', (t) => { t.integer('item_id').primary(); t.string('title', 40).notNullable(); t.integer('price').notNullable(); });
    await applyCdcSyncedSchema(dst.knex);
    // history written before the connector exists arrives through the initial snapshot
    await src.knex('items').insert(Array.from({ length: 200 }, (_, i) => ({ name: `item ${i}`, price_cents: 100 + i })));
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    for (const c of connectors) await connect.deleteConnector(c).catch(() => undefined);
    await src?.drop();
    await dst?.drop();
  });

  const parity = async () => {
    const want = (await src.knex('items').orderBy('id').select()).filter((r) => r.name.length <= 40).map((r) => ({ item_id: r.id, title: r.name, price: r.price_cents }));
    const got = await dst.knex('catalog_items').orderBy('item_id').select();
    return JSON.stringify(want) === JSON.stringify(got) ? { want, got } : undefined;
  };

  it('loads history, follows inserts, updates and deletes, dead-letters a row that does not fit, and ends in exact parity', async () => {
    const name = `cdc-fwd-${suffix}`;
    await addConnector(name, src.name, 'items', 'initial');
    const writer = createSyncWriterKnex(mariadbRootConnection(stack, dst.name));
    cleanups.push(() => writer.destroy());
    const dlq = `${name}.dlq`;
    const applier = await startApplier({
      kafka, groupId: `${name}-applier`, streams: [{ topic: `${name}.${src.name}.items`, mapping: itemMapping(src.name) }],
      store: createKnexApplierStore(writer), deadLetterTopic: dlq, metrics, log: createLogger('cdc-e2e'),
    });
    cleanups.push(() => applier.stop());

    await waitFor(async () => (await dst.knex('catalog_items').count({ n: '*' }))[0]!.n === 200, { timeoutMs: 60_000, what: 'initial snapshot applied' });
    await src.knex('items').where('id', '<=', 20).update({ price_cents: 1 });
    await src.knex('items').where('id', '>', 190).delete();
    const [poison] = await src.knex('items').insert({ name: 'x'.repeat(60), price_cents: 5 });
    await src.knex('items').insert(Array.from({ length: 50 }, (_, i) => ({ name: `late ${i}`, price_cents: i })));
    await src.knex('items').where({ id: 5 }).update({ name: 'renamed' });

    const result = await waitFor(parity, { timeoutMs: 60_000, what: 'target equal to source, row for row' });
    expect(result.got).to.have.length(200 - 10 + 50);

    // the row that did not fit went to the dead-letter topic with its reason; the pipeline went on
    const letters: Array<{ code: string; reason: string; key: string }> = [];
    const reader: Consumer = kafka.consumer({ groupId: `${name}-dlq-reader` });
    cleanups.push(() => reader.disconnect());
    await reader.connect();
    await reader.subscribe({ topic: dlq, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => { letters.push({ code: String(message.headers?.['ficus-code']), reason: String(message.headers?.['ficus-reason']), key: String(message.key) }); } });
    await waitFor(() => letters.length >= 1, { timeoutMs: 30_000, what: 'a dead letter' });
    expect(letters[0]!.code).to.equal('CDC_MAPPING_FAILED');
    expect(letters[0]!.reason).to.contain('name');
    expect(JSON.parse(letters[0]!.key)).to.deep.equal({ id: poison });

    // a target recreated from scratch (same consumer group) is replayed from what it holds: nothing
    await applier.stop();
    await dst.knex('catalog_items').truncate();
    await dst.knex('cdc_row_versions').truncate();
    await dst.knex('cdc_partition_offsets').truncate();
    const again = await startApplier({
      kafka, groupId: `${name}-applier`, streams: [{ topic: `${name}.${src.name}.items`, mapping: itemMapping(src.name) }],
      store: createKnexApplierStore(writer), deadLetterTopic: dlq, metrics, log: createLogger('cdc-e2e'),
    });
    cleanups.push(() => again.stop());
    await waitFor(parity, { timeoutMs: 60_000, what: 'a recreated target replayed to parity' });
  });

  it("marks the sync's own writes so the reverse direction drops them (no echo)", async () => {
    const name = `cdc-rev-${suffix}`;
    await addConnector(name, dst.name, 'catalog_items', 'no_data');
    const writer = createSyncWriterKnex(mariadbRootConnection(stack, dst.name));
    cleanups.push(() => writer.destroy());
    const seen: Array<{ key: string | null; value: string | null; offset: string }> = [];
    const c = kafka.consumer({ groupId: `${name}-probe` });
    cleanups.push(() => c.disconnect());
    await c.connect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: `${name}.${dst.name}.catalog_items`, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    await c.subscribe({ topic: `${name}.${dst.name}.catalog_items`, fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => { seen.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, offset: message.offset }); } });

    await writer('catalog_items').where({ item_id: 1 }).update({ price: 4242 }); // the sync writing
    await dst.knex('catalog_items').where({ item_id: 2 }).update({ price: 4343 }); // a service writing
    await waitFor(() => seen.filter((m) => m.value).length >= 2, { timeoutMs: 30_000, what: 'two change events from the service table' });
    const values = seen.filter((m) => m.value);
    const gtids = values.map((m) => JSON.parse(m.value!).source.gtid as string);
    expect(gtids[0]).to.match(new RegExp(`^${SYNC_GTID_DOMAIN}-`));
    expect(gtids[1]).to.not.match(new RegExp(`^${SYNC_GTID_DOMAIN}-`));
    const mapping: TableMapping = { sourceTable: `${dst.name}.catalog_items`, targetTable: 'items', targetKey: ['id'], sourceRow: z.object({ item_id: z.number(), title: z.string(), price: z.number() }), toTarget: (r: { item_id: number; title: string; price: number }) => ({ id: r.item_id, name: r.title, price_cents: r.price }) };
    expect(decodeBatch(values, mapping, SYNC_GTID_DOMAIN).map((d) => d.kind)).to.deep.equal(['echo', 'change']);
  });
});
