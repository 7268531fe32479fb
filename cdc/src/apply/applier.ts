import pRetry from 'p-retry';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { Logger } from '@ficus/common';
import type { ApplierStore } from './applier-store-type.ts';
import type { SourceReader, TableMapping } from './table-mapping-type.ts';
import { batchProgress, decodeBatch, planDecoded, type PlannedBatch } from './plan-batch.ts';
import type { CdcMetrics } from './cdc-metrics.ts';
import { SYNC_GTID_DOMAIN } from './sync-writer-knex.ts';
import { cdcTopicPartitions } from '../connectors/debezium-config.ts';
import { startApplySpans } from './apply-tracing.ts';

export interface ApplierStream {
  /** Kafka topic of the source table (`<prefix>.<db>.<table>`). */
  topic: string;
  mapping: TableMapping;
}

export interface ApplierOptions {
  kafka: Kafka;
  /** One consumer group per target database. */
  groupId: string;
  streams: ApplierStream[];
  store: ApplierStore;
  deadLetterTopic: string;
  metrics: CdcMetrics;
  log: Logger;
  fromBeginning?: boolean;
  /** Reads the source database of a stream, for mappings that complete rows from it (`enrich`). */
  readSource?: (database: string) => SourceReader;
  /** The target database's name, for the apply spans' attributes. */
  targetDatabase?: string;
  /** Called after each durable apply (benchmarks measure lag from it). */
  onApplied?: (stream: string, plan: PlannedBatch, appliedAt: number) => void;
}

export const streamName = (s: Pick<ApplierStream, 'mapping'>) => `${s.mapping.sourceTable}->${s.mapping.targetTable}`;

/**
 * A kafkajs consumer that applies change events to one target database. Per partition batch:
 * skip what the target already holds (its stored next offset), plan (order, idempotency, echoes,
 * dead letters), write dead letters, write rows + versions + next offset in one transaction, and
 * only then commit the Kafka offset.
 */
export const startApplier = async (o: ApplierOptions): Promise<{ consumer: Consumer; producer: Producer; stop: () => Promise<void> }> => {
  const byTopic = new Map(o.streams.map((s) => [s.topic, s]));
  const producer = o.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const consumer = o.kafka.consumer({ groupId: o.groupId, maxBytesPerPartition: 4 << 20, sessionTimeout: 30_000, heartbeatInterval: 3000 });
  await consumer.connect();
  const admin = o.kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...byTopic.keys(), o.deadLetterTopic].filter((t) => !existing.has(t));
    if (missing.length) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: topic === o.deadLetterTopic ? 1 : cdcTopicPartitions })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  // A topic just created may not be in every broker's metadata yet: kafkajs then fails the subscribe
  // with a retriable UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition").
  for (const topic of byTopic.keys()) {
    await pRetry(() => consumer.subscribe({ topic, fromBeginning: o.fromBeginning ?? true }), {
      retries: 6, minTimeout: 100, factor: 2,
      shouldRetry: ({ error }) => (error as { retriable?: boolean }).retriable === true || (error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION',
      onFailedAttempt: ({ error, attemptNumber }) => o.log.warn({ topic, attempt: attemptNumber, err: error.message }, 'subscribe failed; retrying'),
    });
  }

  // The target database, not the consumer group, decides where each partition resumes: a target
  // that was recreated (or restored from a backup) is replayed from what it actually holds.
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    void (async () => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        const s = byTopic.get(topic);
        if (!s) continue;
        for (const partition of partitions) {
          const stored = await o.store.nextOffset(streamName(s), { topic, partition });
          consumer.seek({ topic, partition, offset: (stored ?? 0n).toString() });
        }
      }
    })().catch((e: unknown) => o.log.error({ err: e }, 'could not seek to the offsets stored in the target'));
  });

  await consumer.run({
    // partitions hold disjoint keys: their batches can be applied in parallel transactions
    partitionsConsumedConcurrently: 3,
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      const began = Date.now();
      const s = byTopic.get(batch.topic)!;
      const stream = streamName(s);
      const ref = { topic: batch.topic, partition: batch.partition };
      const stored = await o.store.nextOffset(stream, ref);
      const fresh = batch.messages.filter((m) => stored === undefined || BigInt(m.offset) >= stored);
      const last = BigInt(batch.messages[batch.messages.length - 1]!.offset);
      if (fresh.length) {
        const incoming = fresh.map((m) => ({ offset: m.offset, key: m.key?.toString() ?? null, value: m.value?.toString() ?? null }));
        const decoded = decodeBatch(incoming, s.mapping, SYNC_GTID_DOMAIN);
        const keys = [...new Set(decoded.flatMap((d) => (d.kind === 'change' ? [d.key] : [])))];
        const plan = planDecoded(decoded, await o.store.versions(stream, keys));
        // changes whose write was traced (its traceparent in the statement) join the write's trace
        const endSpans = startApplySpans(plan.traced, { stream, sourceTable: s.mapping.sourceTable, targetTable: s.mapping.targetTable, targetDatabase: o.targetDatabase, topic: batch.topic, partition: batch.partition, groupId: o.groupId }, began);
        try {
          if (plan.deadLetters.length) {
            await producer.send({
              topic: o.deadLetterTopic,
              acks: -1,
              messages: plan.deadLetters.map((d) => ({
                key: d.key,
                value: d.value,
                headers: { 'ficus-stream': stream, 'ficus-code': d.code, 'ficus-reason': d.reason.slice(0, 2000), 'ficus-source-topic': batch.topic, 'ficus-source-partition': String(batch.partition), 'ficus-source-offset': d.offset },
              })),
            });
            for (const d of plan.deadLetters) o.metrics.deadLetters.inc({ stream, code: d.code });
            o.log.warn({ stream, deadLetters: plan.deadLetters.map((d) => ({ offset: d.offset, code: d.code, reason: d.reason })) }, 'events sent to the dead-letter topic');
          }
          if (s.mapping.enrich && plan.upserts.size) {
            if (!o.readSource) throw new Error(`stream ${stream} needs its source database (readSource) to complete rows`);
            await s.mapping.enrich([...plan.upserts.values()], o.readSource(s.mapping.sourceTable.split('.')[0]!));
          }
          await o.store.apply(stream, s.mapping, plan, ref, last + 1n, batchProgress(decoded));
        } catch (e) { endSpans(e); throw e; }
        endSpans();
        const now = Date.now();
        o.onApplied?.(stream, plan, now);
        for (const ts of plan.sourceTimestamps) o.metrics.lag.observe({ stream }, Math.max(0, now - ts) / 1000);
        o.metrics.applied.inc({ stream }, plan.sourceTimestamps.length);
        o.metrics.stale.inc({ stream }, plan.stale);
        o.metrics.echoes.inc({ stream }, plan.echoes);
      }
      o.metrics.consumerLag.set({ stream, partition: String(batch.partition) }, Math.max(0, Number(BigInt(batch.highWatermark) - last - 1n)));
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (last + 1n).toString() }]);
      // without auto-resolve, this is what moves kafkajs's fetch position past the batch
      resolveOffset(last.toString());
      await heartbeat();
    },
  });

  return {
    consumer,
    producer,
    stop: async () => { await consumer.disconnect(); await producer.disconnect(); },
  };
};
