/** Partitions of each change-event topic (keyed by row key, so per-key order holds). */
export const cdcTopicPartitions = 3;

/** What one Debezium MariaDB connector captures. */
export interface CaptureSpec {
  name: string;
  /** Kafka topic prefix: events land on `<topicPrefix>.<db>.<table>`. */
  topicPrefix: string;
  databases: string[];
  /** `db.table` names; all tables of `databases` when omitted. */
  tables?: string[];
  /** Unique among every MariaDB server id and every other connector. */
  serverId: number;
  snapshotMode?: 'initial' | 'no_data' | 'when_needed' | 'never';
  /** `db.table` of a signal table for ad hoc incremental snapshots. */
  signalTable?: string;
}

export interface ConnectionSpec {
  host: string;
  port: number;
  user: string;
  password: string;
  kafkaBrokers: string;
}

/** The Kafka Connect config of a Debezium MariaDB connector (plain JSON events, see stack/src/components/connect.ts). */
export const debeziumMariadbConfig = (c: CaptureSpec, conn: ConnectionSpec): Record<string, string> => ({
  'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
  'tasks.max': '1',
  'database.hostname': conn.host,
  'database.port': String(conn.port),
  'database.user': conn.user,
  'database.password': conn.password,
  'database.server.id': String(c.serverId),
  'database.ssl.mode': 'disable',
  'topic.prefix': c.topicPrefix,
  'database.include.list': c.databases.join(','),
  ...(c.tables ? { 'table.include.list': [...c.tables, ...(c.signalTable ? [c.signalTable] : [])].join(',') } : {}),
  'snapshot.mode': c.snapshotMode ?? 'initial',
  'include.schema.changes': 'true',
  'include.query': 'true',
  'schema.history.internal.kafka.bootstrap.servers': conn.kafkaBrokers,
  'schema.history.internal.kafka.topic': `${c.topicPrefix}.schema-history`,
  'schema.history.internal.store.only.captured.tables.ddl': 'true',
  'tombstones.on.delete': 'true',
  'decimal.handling.mode': 'string',
  // latency and throughput: poll every 50 ms instead of 500 ms, larger batches and queue
  'poll.interval.ms': '50',
  'max.batch.size': '8192',
  'max.queue.size': '32768',
  'time.precision.mode': 'connect',
  // heartbeats commit the connector's offset past transactions it filters out (other tables and
  // databases on the same server), so "has position X been applied?" can be answered (positions/)
  'heartbeat.interval.ms': '200',
  // topics Debezium creates get cdcTopicPartitions partitions, keyed by primary key: the appliers
  // apply disjoint keys in parallel transactions while each key keeps its order
  'topic.creation.default.partitions': String(cdcTopicPartitions),
  'topic.creation.default.replication.factor': '1',
  ...(c.signalTable ? { 'signal.data.collection': c.signalTable, 'signal.enabled.channels': 'source' } : {}),
});
