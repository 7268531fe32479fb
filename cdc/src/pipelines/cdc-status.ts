import knexFactory from 'knex';
import { mariadbRootConnection, type StackEnv } from '@ficus/common';
import { createConnectClient } from '../connectors/connect-client.ts';
import { deadLetterTopicOf, streamTopic, type CdcTopology } from './pipelines.ts';
import { kafkaFor } from './cdc-runtime.ts';

export interface TableProgress { source: string; target: string; sourceRows: number; targetRows: number }
export interface PipelineStatus {
  name: string;
  direction: string;
  consumerLag: number | null;
  lastAppliedAt: string | null;
  deadLetters: number;
  tables: TableProgress[];
}
export interface CdcStatus {
  connectors: Array<{ name: string; state: string; tasks: string[] }>;
  pipelines: PipelineStatus[];
}

const count = async (stack: StackEnv, db: string, table: string): Promise<number> => {
  const k = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, db) });
  try { const [r] = (await k(table).count({ n: '*' })) as Array<{ n: number }>; return Number(r?.n ?? 0); } catch { return -1; } finally { await k.destroy(); }
};

/** Connectors, consumer lag, last apply, dead letters and per-table row counts (initial-load progress). */
export const cdcStatus = async (topology: CdcTopology, stack: StackEnv): Promise<CdcStatus> => {
  const connect = createConnectClient(stack.FICUS_CONNECT_URL);
  const connectors = await Promise.all(topology.connectors.map(async (c) => {
    try { const s = await connect.status(c.name); return { name: c.name, state: s.connector.state, tasks: s.tasks.map((t) => t.state) }; }
    catch { return { name: c.name, state: 'ABSENT', tasks: [] }; }
  }));
  const admin = kafkaFor(stack, 'ficus-cdc-status').admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const pipelines: PipelineStatus[] = [];
    for (const p of topology.pipelines) {
      const topics = p.streams.map((s) => streamTopic(topology, s)).filter((t) => existing.has(t));
      let lag: number | null = null;
      if (topics.length) {
        lag = 0;
        const committed = await admin.fetchOffsets({ groupId: p.name, topics });
        for (const t of committed) {
          const ends = await admin.fetchTopicOffsets(t.topic);
          for (const part of t.partitions) {
            const end = Number(ends.find((e) => e.partition === part.partition)?.high ?? 0);
            const at = Number(part.offset);
            lag += at < 0 ? end : Math.max(0, end - at);
          }
        }
      }
      const dlq = deadLetterTopicOf(p);
      const deadLetters = existing.has(dlq) ? (await admin.fetchTopicOffsets(dlq)).reduce((n, o) => n + Number(o.high) - Number(o.low), 0) : 0;
      const k = knexFactory({ client: 'mysql2', connection: mariadbRootConnection(stack, p.targetDatabase) });
      let lastAppliedAt: string | null = null;
      try { const r = await k('cdc_partition_offsets').max({ at: 'applied_at' }).first(); lastAppliedAt = r?.at ? new Date(r.at).toISOString() : null; } catch { /* not started yet */ } finally { await k.destroy(); }
      const tables = await Promise.all(p.streams.map(async ({ mapping: m }) => {
        const [db, table] = m.sourceTable.split('.') as [string, string];
        return { source: m.sourceTable, target: `${p.targetDatabase}.${m.targetTable}`, sourceRows: await count(stack, db, table), targetRows: await count(stack, p.targetDatabase, m.targetTable) };
      }));
      pipelines.push({ name: p.name, direction: p.direction, consumerLag: lag, lastAppliedAt, deadLetters, tables });
    }
    return { connectors, pipelines };
  } finally {
    await admin.disconnect();
  }
};
