import { randomBytes } from 'node:crypto';
import type { Kafka } from 'kafkajs';

export interface DeadLetterRecord {
  offset: string;
  stream: string;
  code: string;
  reason: string;
  sourceTopic: string;
  sourcePartition: number;
  sourceOffset: string;
  key: string | null;
  value: string | null;
}

/** Reads a dead-letter topic from its start to its current end (a throwaway consumer group). */
export const readDeadLetters = async (kafka: Kafka, topic: string, timeoutMs = 15_000): Promise<DeadLetterRecord[]> => {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Array<{ partition: number; high: string; low: string }>;
  try {
    if (!(await admin.listTopics()).includes(topic)) return [];
    ends = await admin.fetchTopicOffsets(topic);
  } finally {
    await admin.disconnect();
  }
  const total = ends.reduce((n, e) => n + Number(e.high) - Number(e.low), 0);
  if (total === 0) return [];
  const out: DeadLetterRecord[] = [];
  const consumer = kafka.consumer({ groupId: `ficus-dlq-reader-${randomBytes(4).toString('hex')}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${out.length} of ${total} dead letters before the deadline`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          const h = (k: string) => message.headers?.[k]?.toString() ?? '';
          out.push({
            offset: message.offset, stream: h('ficus-stream'), code: h('ficus-code'), reason: h('ficus-reason'),
            sourceTopic: h('ficus-source-topic'), sourcePartition: Number(h('ficus-source-partition')), sourceOffset: h('ficus-source-offset'),
            key: message.key?.toString() ?? null, value: message.value?.toString() ?? null,
          });
          if (out.length >= total) { clearTimeout(timer); resolve(); }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out;
};

/**
 * Sends dead letters back to their source topic (after the mapping or the data was fixed); the
 * applier applies them like any event, still guarded by the per-row source version.
 */
export const retryDeadLetters = async (kafka: Kafka, letters: DeadLetterRecord[]): Promise<number> => {
  if (!letters.length) return 0;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const byTopic = new Map<string, DeadLetterRecord[]>();
    for (const l of letters) byTopic.set(l.sourceTopic, [...(byTopic.get(l.sourceTopic) ?? []), l]);
    for (const [topic, ls] of byTopic) {
      await producer.send({ topic, acks: -1, messages: ls.map((l) => ({ key: l.key, value: l.value, headers: { 'ficus-retried-from-dlq': l.offset } })) });
    }
  } finally {
    await producer.disconnect();
  }
  return letters.length;
};
