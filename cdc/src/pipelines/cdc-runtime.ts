import knexFactory from 'knex';
import { Kafka, logLevel } from 'kafkajs';
import { FicusError, mariadbRootConnection, waitFor, type Logger, type StackEnv } from '@ficus/common';
import { createConnectClient } from '../connectors/connect-client.ts';
import { debeziumMariadbConfig } from '../connectors/debezium-config.ts';
import { startApplier, type ApplierOptions } from '../apply/applier.ts';
import { createCdcMetrics, type CdcMetrics } from '../apply/cdc-metrics.ts';
import { createKnexApplierStore, ensureApplierTables } from '../apply/knex-applier-store.ts';
import { createSyncWriterKnex } from '../apply/sync-writer-knex.ts';
import type { SourceReader } from '../apply/table-mapping-type.ts';
import { knexSourceReader } from '../apply/knex-source-reader.ts';
import { deadLetterTopicOf, streamTopic, type CdcTopology, type ConnectorDecl } from './pipelines.ts';

export interface DebeziumCredentials { user: string; password: string }

export const kafkaFor = (stack: StackEnv, clientId: string) =>
  new Kafka({ clientId, brokers: stack.FICUS_KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING });

const connectorConfig = (c: ConnectorDecl, stack: StackEnv, dbz: DebeziumCredentials) =>
  debeziumMariadbConfig(
    { name: c.name, topicPrefix: c.topicPrefix, databases: [c.database], tables: c.tables.map((t) => `${c.database}.${t}`), serverId: c.serverId, snapshotMode: c.snapshotMode, signalTable: `${c.database}.${c.signalTable}` },
    { host: stack.FICUS_MARIADB_HOST, port: stack.FICUS_MARIADB_PORT, user: dbz.user, password: dbz.password, kafkaBrokers: stack.FICUS_KAFKA_BROKERS },
  );

/**
 * Creates or updates every connector through the Kafka Connect REST API (PUT: idempotent), after
 * making sure each source database has Debezium's signal table (for incremental snapshots).
 */
export const connectAll = async (topology: CdcTopology, stack: StackEnv, dbz: DebeziumCredentials, log?: Logger): Promise<void> => {
  const connect = createConnectClient(stack.FICUS_CONNECT_URL);
  for (const c of topology.connectors) {
    const knex = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, c.database) });
    try {
      await knex.raw('CREATE TABLE IF NOT EXISTS ?? (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL)', [c.signalTable]);
      // incremental snapshots write their window markers into the signal table
      await knex.raw(`GRANT INSERT, UPDATE, DELETE ON ??.?? TO ?@'%'`, [c.database, c.signalTable, dbz.user]);
    } catch (e) {
      throw new FicusError('CDC_SOURCE_UNAVAILABLE', `source database ${c.database} is not reachable or does not exist: ${(e as Error).message}`);
    } finally {
      await knex.destroy();
    }
    await connect.putConnector(c.name, connectorConfig(c, stack, dbz));
    // A task that failed (say, the database was down longer than Debezium retries) is restarted
    // once; failing again is reported with Debezium's reason.
    let restarted = false;
    let failure: string | undefined;
    await waitFor(async () => {
      const s = await connect.status(c.name);
      const failed = s.tasks.find((t) => t.state === 'FAILED');
      if (failed && !restarted) {
        log?.warn({ connector: c.name, trace: failed.trace?.split('\n')[0] }, 'connector task had failed: restarting it');
        await connect.restartFailed(c.name);
        restarted = true;
        return false;
      }
      if (failed) { failure = failed.trace?.split('\n')[0] ?? 'no trace'; return true; }
      return s.connector.state === 'RUNNING' && s.tasks[0]?.state === 'RUNNING';
    }, { timeoutMs: 60_000, what: `connector ${c.name} running` });
    if (failure) throw new FicusError('CDC_CONNECTOR_FAILED', `connector ${c.name} task failed again after a restart: ${failure}`);
    log?.info({ connector: c.name, tables: c.tables }, 'connector running');
  }
};

/** Starts one applier per pipeline; each target database must exist (its service migrates it). */
export const startPipelines = async (topology: CdcTopology, stack: StackEnv, log: Logger, metrics: CdcMetrics = createCdcMetrics(), onApplied?: ApplierOptions['onApplied']) => {
  const kafka = kafkaFor(stack, 'ficus-cdc');
  const running: Array<{ name: string; stop: () => Promise<void> }> = [];
  // Source databases read by mappings that complete rows (e.g. an order's customer from legacy.users).
  const readers = new Map<string, ReturnType<typeof knexFactory>>();
  const readSource = (database: string): SourceReader => {
    let knex = readers.get(database);
    if (!knex) { knex = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, database), pool: { min: 0, max: 2 } }); readers.set(database, knex); }
    return knexSourceReader(knex, database);
  };
  for (const p of topology.pipelines) {
    let streams: Array<{ topic: string; mapping: (typeof p.streams)[number]['mapping'] }>;
    try { streams = p.streams.map((s) => ({ topic: streamTopic(topology, s), mapping: s.mapping })); }
    catch (e) { throw new FicusError('CDC_TOPOLOGY_INVALID', `pipeline ${p.name}: ${(e as Error).message}`); }
    const writer = createSyncWriterKnex(mariadbRootConnection(stack, p.targetDatabase));
    try {
      for (const { mapping: m } of p.streams) {
        if (!(await writer.schema.hasTable(m.targetTable))) {
          throw new FicusError('CDC_TARGET_NOT_READY', `pipeline ${p.name}: table ${p.targetDatabase}.${m.targetTable} does not exist; start its service once (it migrates its database)`);
        }
      }
      await ensureApplierTables(writer);
    } catch (e) {
      await writer.destroy();
      throw e instanceof FicusError ? e : new FicusError('CDC_TARGET_NOT_READY', `pipeline ${p.name}: database ${p.targetDatabase}: ${(e as Error).message}`);
    }
    const applier = await startApplier({
      kafka,
      groupId: p.name,
      streams,
      store: createKnexApplierStore(writer),
      deadLetterTopic: deadLetterTopicOf(p),
      metrics,
      log: log.child({ pipeline: p.name }),
      onApplied,
      readSource,
    });
    running.push({ name: p.name, stop: async () => { await applier.stop(); await writer.destroy(); } });
    log.info({ pipeline: p.name, target: p.targetDatabase }, 'applier running');
  }
  return { metrics, stop: async () => { for (const r of running) await r.stop(); for (const k of readers.values()) await k.destroy(); } };
};
