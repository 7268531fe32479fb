import knexFactory from 'knex';
import { Kafka, logLevel } from 'kafkajs';
import { FicusError, knexLog, waitFor, type Logger, type StackEnv } from '@ficus/common';
import { createConnectClient } from '../connectors/connect-client.ts';
import { debeziumMariadbConfig } from '../connectors/debezium-config.ts';
import { startApplier, type ApplierOptions } from '../apply/applier.ts';
import { createCdcMetrics, type CdcMetrics } from '../apply/cdc-metrics.ts';
import { createKnexApplierStore } from '../apply/knex-applier-store.ts';
import { cdcConnection, type CdcLogin } from '../provision/cdc-login.ts';
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
 * Creates or updates every connector through the Kafka Connect REST API (PUT: idempotent). Each
 * source database's signal table (incremental snapshots) and its grant to Debezium's user come from
 * the CDC's provisioning (provisionCdc), not from here.
 */
export const connectAll = async (topology: CdcTopology, stack: StackEnv, dbz: DebeziumCredentials, log?: Logger): Promise<void> => {
  const connect = createConnectClient(stack.FICUS_CONNECT_URL);
  for (const c of topology.connectors) {
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

const accessDenied = (e: unknown): boolean =>
  ['ER_DBACCESS_DENIED_ERROR', 'ER_ACCESS_DENIED_ERROR', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'ER_TABLEACCESS_DENIED_ERROR'].includes(String((e as { code?: unknown } | null)?.code));

const notProvisioned = (what: string) =>
  new FicusError('CDC_NOT_PROVISIONED', `${what}: provision the CDC (\`node cdc/src/provision.ts\`, or start it with CDC_PROVISION_ON_START=true)`);

/**
 * Starts one applier per pipeline, connected as the CDC's own user (`login`). Each target table must
 * exist (its service applies its schema) and the CDC must be provisioned (provisionCdc: its bookkeeping
 * tables and its grants).
 */
export const startPipelines = async (topology: CdcTopology, stack: StackEnv, login: CdcLogin, log: Logger, metrics: CdcMetrics = createCdcMetrics(), onApplied?: ApplierOptions['onApplied']) => {
  const kafka = kafkaFor(stack, 'ficus-cdc');
  const running: Array<{ name: string; stop: () => Promise<void> }> = [];
  // Source databases read by mappings that complete rows (e.g. an order's customer from legacy.users).
  const readers = new Map<string, ReturnType<typeof knexFactory>>();
  const readSource = (database: string): SourceReader => {
    let knex = readers.get(database);
    if (!knex) { knex = knexFactory({ client: 'mysql2', connection: cdcConnection(stack, login, database), pool: { min: 0, max: 2 }, log: knexLog }); readers.set(database, knex); }
    return knexSourceReader(knex, database);
  };
  for (const p of topology.pipelines) {
    let streams: Array<{ topic: string; mapping: (typeof p.streams)[number]['mapping'] }>;
    try { streams = p.streams.map((s) => ({ topic: streamTopic(topology, s), mapping: s.mapping })); }
    catch (e) { throw new FicusError('CDC_TOPOLOGY_INVALID', `pipeline ${p.name}: ${(e as Error).message}`); }
    const writer = createSyncWriterKnex(cdcConnection(stack, login, p.targetDatabase));
    try {
      // the CDC's user sees only the tables it is granted: a missing one has no schema yet or is not granted
      for (const { mapping: m } of p.streams) {
        if (!(await writer.schema.hasTable(m.targetTable))) {
          throw new FicusError('CDC_TARGET_NOT_READY', `pipeline ${p.name}: table ${p.targetDatabase}.${m.targetTable} does not exist or is not granted to ${login.user}; start its service once (it applies its schema), then provision the CDC again`);
        }
      }
      if (!(await writer.schema.hasColumn('cdc_partition_offsets', 'last_gtid')) || !(await writer.schema.hasTable('cdc_row_versions'))) {
        throw notProvisioned(`pipeline ${p.name}: the CDC's bookkeeping tables in ${p.targetDatabase} are missing, outdated or not granted to ${login.user}`);
      }
    } catch (e) {
      await writer.destroy();
      if (e instanceof FicusError) throw e;
      if (accessDenied(e)) throw notProvisioned(`pipeline ${p.name}: ${login.user} may not use ${p.targetDatabase} (${(e as Error).message})`);
      throw new FicusError('CDC_TARGET_NOT_READY', `pipeline ${p.name}: database ${p.targetDatabase}: ${(e as Error).message}`);
    }
    const applier = await startApplier({
      kafka,
      groupId: p.name,
      targetDatabase: p.targetDatabase,
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
