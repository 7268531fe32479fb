import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { readStackEnv, waitFor } from '@ficus/common';
import { createTestDatabase } from '@ficus/common/testing';
import { createConnectClient, debeziumMariadbConfig } from '@ficus/cdc';
import { debeziumUser } from '@ficus/stack';

interface ChangeEvent {
  op: 'c' | 'u' | 'd' | 'r';
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  source: { file: string; pos: number; gtid: string | null; db: string; table: string; snapshot: string };
  ts_ms: number;
}

describe('smoke: a row written with knex arrives as a Debezium change event read by kafkajs', () => {
  const stack = readStackEnv();
  const connect = createConnectClient(stack.FICUS_CONNECT_URL);
  const suffix = randomBytes(3).toString('hex');
  const connector = `smoke-${suffix}`;
  const prefix = `smoke_${suffix}`;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let consumer: Consumer;
  const events: ChangeEvent[] = [];

  before(async () => {
    db = await createTestDatabase('smoke_cdc');
    await db.knex.schema.createTable('widgets', (t) => { t.increments('id').primary(); t.string('name').notNullable(); t.integer('qty').notNullable(); });
    await connect.putConnector(connector, debeziumMariadbConfig(
      { name: connector, topicPrefix: prefix, databases: [db.name], tables: [`${db.name}.widgets`], serverId: 5000 + Math.floor(Math.random() * 10000), snapshotMode: 'no_data' },
      { host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: debeziumUser.user, password: debeziumUser.password, kafkaBrokers: stack.FICUS_KAFKA_BROKERS },
    ));
    await waitFor(async () => { const s = await connect.status(connector); return s.tasks[0]?.state === 'RUNNING'; }, { timeoutMs: 60_000, what: 'connector task RUNNING' });
    const kafka = new Kafka({ clientId: 'smoke', brokers: stack.FICUS_KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: `${prefix}.${db.name}.widgets`, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    consumer = kafka.consumer({ groupId: `smoke-${suffix}` });
    await consumer.connect();
    await consumer.subscribe({ topic: `${prefix}.${db.name}.widgets`, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => { if (message.value) events.push(JSON.parse(message.value.toString()) as ChangeEvent); } });
  });

  after(async () => {
    await consumer?.disconnect().catch(() => undefined);
    await connect.deleteConnector(connector).catch(() => undefined);
    await db?.drop();
  });

  it('delivers insert, update and delete with before/after images and the binlog position', async () => {
    const [id] = await db.knex('widgets').insert({ name: 'sprocket', qty: 3 });
    await db.knex('widgets').where({ id }).update({ qty: 4 });
    await db.knex('widgets').where({ id }).delete();
    await waitFor(() => events.length >= 3, { timeoutMs: 60_000, what: 'three change events' });
    const [c, u, d] = events;
    expect(c!.op).to.equal('c');
    expect(c!.before).to.equal(null);
    expect(c!.after).to.deep.equal({ id, name: 'sprocket', qty: 3 });
    expect(u!.op).to.equal('u');
    expect(u!.before).to.deep.include({ qty: 3 });
    expect(u!.after).to.deep.include({ qty: 4 });
    expect(d!.op).to.equal('d');
    expect(d!.after).to.equal(null);
    expect(d!.before).to.deep.include({ id, name: 'sprocket' });
    for (const e of [c!, u!, d!]) {
      expect(e.source.db).to.equal(db.name);
      expect(e.source.table).to.equal('widgets');
      expect(e.source.file).to.match(/binlog\.\d+/);
      expect(e.source.pos).to.be.a('number').greaterThan(0);
      expect(e.source.gtid).to.match(/^\d+-\d+-\d+$/);
    }
    expect(u!.source.pos).to.be.greaterThan(c!.source.pos);
  });
});
