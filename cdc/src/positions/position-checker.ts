import knexFactory from 'knex';
import { FicusError, type StackEnv } from '@ficus/common';
import { cdcConnection, type CdcLogin } from '../provision/cdc-login.ts';
import { createConnectClient } from '../connectors/connect-client.ts';
import { kafkaFor } from '../pipelines/cdc-runtime.ts';
import { streamTopic, type CdcTopology, type PipelineDecl } from '../pipelines/pipelines.ts';
import { streamName } from '../apply/applier.ts';
import { covers, formatGtidPosition, parseGtidPosition, partitionThrough } from './gtid-position.ts';

export interface AppliedAnswer {
  position: string;
  pipeline: string;
  applied: boolean;
  connectors: Array<{ name: string; offset: string | null; covered: boolean }>;
  partitions: Array<{ stream: string; topic: string; partition: number; nextOffset: string | null; highWatermark: string; lastGtid: string | null; through: boolean }>;
}

export interface PositionChecker {
  /** The source's position now (`@@gtid_binlog_pos`): whatever is committed by now is at or before it. */
  current(): Promise<string>;
  /** Has every transaction up to `position` been applied by this pipeline (by name, or by the domain whose service database it writes)? */
  applied(pipelineOrDomain: string, position: string): Promise<AppliedAnswer>;
  close(): Promise<void>;
}

/**
 * Answers "has position X been applied?" for the shadow comparison's read-after-write check and
 * for operators: the connector must have committed an offset past X (Kafka Connect commits only
 * what Kafka acknowledged), then each partition of the pipeline must be drained to the end offset
 * read after that, or have consumed an event committed after X (gtid-position.ts). A check on an
 * idle source writes one tick row (`cdc_position_ticks` in the control database, `ficus_cdc` by
 * default) so the connector moves past X. `login`: the CDC's own user (the CLI and the migration
 * worker pass theirs).
 */
export const createPositionChecker = (o: { stack: StackEnv; login: CdcLogin; control?: string; topology: () => CdcTopology }): PositionChecker => {
  const knex = knexFactory({ client: 'mysql2', connection: cdcConnection(o.stack, o.login), pool: { min: 0, max: 3 } });
  const ticks = `${o.control ?? 'ficus_cdc'}.cdc_position_ticks`;
  const connect = createConnectClient(o.stack.FICUS_CONNECT_URL);
  const admin = kafkaFor(o.stack, 'ficus-cdc-positions').admin();
  let connecting: Promise<void> | undefined;
  let lastTick = 0;
  /**
   * Debezium commits an offset past a transaction only once it reads a later one: on an idle
   * source, the checker writes a tick row (throttled) so the connector's heartbeat moves past X.
   */
  const tick = async () => {
    if (Date.now() - lastTick < 100) return;
    lastTick = Date.now();
    await knex.raw('INSERT INTO ?? (id, at) VALUES (1, NOW(3)) ON DUPLICATE KEY UPDATE at = NOW(3)', [ticks]);
  };

  const pipelineFor = (key: string): PipelineDecl => {
    const { pipelines } = o.topology();
    const p = pipelines.find((x) => x.name === key)
      ?? pipelines.find((x) => x.direction === 'forward' && x.name.endsWith(`-${key}-forward`))
      ?? (key === 'legacy' ? pipelines.find((x) => x.direction === 'reverse') : undefined);
    if (!p) throw new FicusError('CDC_UNKNOWN_PIPELINE', `no running pipeline ${JSON.stringify(key)}; running: ${pipelines.map((x) => x.name).join(', ') || 'none'}`);
    return p;
  };

  return {
    async current() {
      const [rows] = (await knex.raw('SELECT @@gtid_binlog_pos AS pos')) as [Array<{ pos: string }>];
      return rows[0]?.pos ?? '';
    },

    async applied(pipelineOrDomain, positionText) {
      const position = parseGtidPosition(positionText);
      const topology = o.topology();
      const pipeline = pipelineFor(pipelineOrDomain);
      const answer: AppliedAnswer = { position: formatGtidPosition(position), pipeline: pipeline.name, applied: false, connectors: [], partitions: [] };
      for (const name of new Set(pipeline.streams.map((s) => s.connector))) {
        let offset: string | null = null;
        try {
          const { offsets } = await connect.offsets(name);
          offset = offsets.map((x) => x.offset?.gtids).find((g): g is string => typeof g === 'string') ?? null;
        } catch { /* not created yet */ }
        answer.connectors.push({ name, offset, covered: offset !== null && covers(parseGtidPosition(offset), position) });
      }
      if (!answer.connectors.every((c) => c.covered)) {
        await tick();
        return answer;
      }

      // end offsets are read only now, after the connectors were seen past the position
      connecting ??= admin.connect();
      await connecting;
      const streams = await Promise.all(pipeline.streams.map(async (s) => {
        const topic = streamTopic(topology, s);
        const ends = await admin.fetchTopicOffsets(topic).catch(() => []); // no topic: nothing captured yet
        return { stream: streamName(s), topic, ends };
      }));
      // what the target holds, read once and after every end offset
      const stored = (await knex(`${pipeline.targetDatabase}.cdc_partition_offsets`).whereIn('stream', streams.map((x) => x.stream)).select('stream', 'topic', 'kpartition', 'next_offset', 'last_gtid')
        .catch(() => [])) as Array<{ stream: string; topic: string; kpartition: number; next_offset: string | number; last_gtid: string | null }>;
      for (const { stream, topic, ends } of streams) {
        for (const e of ends) {
          const row = stored.find((r) => r.stream === stream && r.topic === topic && r.kpartition === e.partition);
          const progress = { nextOffset: row ? BigInt(row.next_offset) : undefined, highWatermark: BigInt(e.high), lastGtid: row?.last_gtid ?? null };
          answer.partitions.push({ stream, topic, partition: e.partition, nextOffset: progress.nextOffset?.toString() ?? null, highWatermark: e.high, lastGtid: progress.lastGtid, through: partitionThrough(position, progress) });
        }
      }
      answer.applied = answer.partitions.every((p) => p.through);
      return answer;
    },

    async close() {
      await knex.destroy();
      if (connecting) await admin.disconnect();
    },
  };
};

/** Asks until the position is applied or `waitMs` has passed; returns the last answer. */
export const waitUntilApplied = async (checker: PositionChecker, pipeline: string, position: string, waitMs: number, intervalMs = 50): Promise<AppliedAnswer> => {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const answer = await checker.applied(pipeline, position);
    if (answer.applied || Date.now() >= deadline) return answer;
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(1, deadline - Date.now()))));
  }
};
