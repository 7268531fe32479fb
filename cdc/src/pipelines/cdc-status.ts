import knexFactory from 'knex';
import { knexLog, type StackEnv } from '@ficus/common';
import { cdcConnection, cdcRootLogin, type CdcLogin } from '../provision/cdc-login.ts';
import { createConnectClient } from '../connectors/connect-client.ts';
import { deadLetterTopicOf, streamTopic, type CdcTopology } from './pipelines.ts';
import { kafkaFor } from './cdc-runtime.ts';
import { streamName } from '../apply/applier.ts';

export interface TableProgress { source: string; target: string; sourceRows: number; targetRows: number }
export interface PipelineStatus {
  name: string;
  direction: string;
  consumerLag: number | null;
  lastAppliedAt: string | null;
  /** Source commit → applied, for the newest apply of any partition (exact, from the target). */
  lastApplyLagMs: number | null;
  /** End-to-end lag percentiles since the CDC process started (upper bounds of its histogram buckets), when its metrics answer. */
  lagMs: { p50: number; p99: number; samples: number } | null;
  deadLetters: number;
  tables: TableProgress[];
}
export interface CdcStatus {
  /** Whether the CDC process's metrics answered (lag percentiles come from them). */
  cdcProcess: 'answering' | 'not answering' | 'not asked';
  connectors: Array<{ name: string; state: string; tasks: string[] }>;
  pipelines: PipelineStatus[];
}

/** Status reports a missing database as data (-1, never); knexLog keeps knex's failed-connection line out of the output. */
const statusKnex = (stack: StackEnv, db: string, login: CdcLogin) => knexFactory({ client: 'mysql2', connection: cdcConnection(stack, login, db), log: knexLog });

const count = async (stack: StackEnv, db: string, table: string, login: CdcLogin): Promise<number> => {
  const k = statusKnex(stack, db, login);
  try { const [r] = (await k(table).count({ n: '*' })) as Array<{ n: number }>; return Number(r?.n ?? 0); } catch { return -1; } finally { await k.destroy(); }
};

/** Connectors, consumer lag, last apply, dead letters and per-table row counts (initial-load progress). */
/** A quantile's bucket bound from Prometheus histogram text, summed over the given streams. */
export const histogramQuantiles = (metricsText: string, name: string, streams: string[]): { p50: number; p99: number; samples: number } | null => {
  const buckets = new Map<number, number>();
  const re = new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, 'gm');
  for (const m of metricsText.matchAll(re)) {
    const labels = Object.fromEntries([...m[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (!streams.includes(labels.stream ?? '')) continue;
    const le = labels.le === '+Inf' ? Infinity : Number(labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(m[2]));
  }
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (!total) return null;
  const at = (q: number) => (sorted.find(([, n]) => n >= q * total)?.[0] ?? Infinity) * 1000;
  return { p50: at(0.5), p99: at(0.99), samples: total };
};

/** `login`: who reads the row counts and bookkeeping (root for the CLI; a table it may not read counts -1). */
export const cdcStatus = async (topology: CdcTopology, stack: StackEnv, metricsUrl?: string, login: CdcLogin = cdcRootLogin(stack)): Promise<CdcStatus> => {
  let metricsText = '';
  if (metricsUrl) {
    try { const r = await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) }); if (r.ok) metricsText = await r.text(); } catch { /* the CDC process is not running */ }
  }
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
      const k = statusKnex(stack, p.targetDatabase, login);
      let lastAppliedAt: string | null = null;
      let lastApplyLagMs: number | null = null;
      try {
        const r = await k('cdc_partition_offsets').orderBy('applied_at', 'desc').first('applied_at', 'last_source_ts');
        lastAppliedAt = r?.applied_at ? new Date(r.applied_at).toISOString() : null;
        if (r?.applied_at && r.last_source_ts !== null && r.last_source_ts !== undefined) lastApplyLagMs = Math.max(0, new Date(r.applied_at).getTime() - Number(r.last_source_ts));
      } catch { /* not started yet */ } finally { await k.destroy(); }
      const lagMs = metricsText ? histogramQuantiles(metricsText, 'ficus_cdc_end_to_end_lag_seconds', p.streams.map(streamName)) : null;
      const tables = await Promise.all(p.streams.map(async ({ mapping: m }) => {
        const [db, table] = m.sourceTable.split('.') as [string, string];
        return { source: m.sourceTable, target: `${p.targetDatabase}.${m.targetTable}`, sourceRows: await count(stack, db, table, login), targetRows: await count(stack, p.targetDatabase, m.targetTable, login) };
      }));
      pipelines.push({ name: p.name, direction: p.direction, consumerLag: lag, lastAppliedAt, lastApplyLagMs, lagMs, deadLetters, tables });
    }
    return { cdcProcess: !metricsUrl ? 'not asked' : metricsText ? 'answering' : 'not answering', connectors, pipelines };
  } finally {
    await admin.disconnect();
  }
};
