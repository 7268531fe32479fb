import { activeTracing, endSpan, startConsumerSpan, type Span } from '@ficus/common/tracing';
import type { TracedChange } from './plan-batch.ts';

/** Where a batch was read from and what it writes: the apply spans' attributes. */
export interface ApplySpanScope {
  stream: string;
  /** `db.table` at the source. */
  sourceTable: string;
  targetTable: string;
  targetDatabase?: string;
  topic: string;
  partition: number;
  groupId: string;
}

/** One entry per write (statement span) among a batch's traced changes, in offset order. */
export interface TracedWrite { first: TracedChange; ops: string[]; count: number }

/** Pure: the batch's traced changes by the span that wrote them (a multi-row statement is one write). */
export const tracedWrites = (traced: readonly TracedChange[]): TracedWrite[] => {
  const byWrite = new Map<string, TracedWrite>();
  for (const c of traced) {
    const key = c.trace.traceId + c.trace.spanId;
    const w = byWrite.get(key);
    if (!w) byWrite.set(key, { first: c, ops: [c.op], count: 1 });
    else { w.count += 1; if (!w.ops.includes(c.op)) w.ops.push(c.op); }
  }
  return [...byWrite.values()];
};

const noop = (): void => undefined;

/**
 * Starts a CONSUMER span `cdc apply <target table>` per traced write in the batch, each a child of
 * the write's span (so it is in the write's trace), started when the batch's work began. Returns
 * the function that ends them once the batch is applied (or failed: `err`). Changes without a
 * trace context make no span; with tracing off this is one check.
 */
export const startApplySpans = (traced: readonly TracedChange[], scope: ApplySpanScope, startTime: number): ((err?: unknown) => void) => {
  if (traced.length === 0 || !activeTracing()) return noop;
  const spans: Array<{ span: Span; sourceTs: number }> = [];
  for (const w of tracedWrites(traced)) {
    const span = startConsumerSpan(w.first.trace, `cdc apply ${scope.targetTable}`, {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': scope.topic,
      'messaging.destination.partition.id': String(scope.partition),
      'messaging.consumer.group.name': scope.groupId,
      'messaging.kafka.offset': Number(w.first.offset),
      'messaging.batch.message_count': w.count,
      'ficus.cdc.stream': scope.stream,
      'ficus.cdc.source_table': scope.sourceTable,
      'ficus.cdc.target_table': scope.targetDatabase ? `${scope.targetDatabase}.${scope.targetTable}` : scope.targetTable,
      'ficus.cdc.op': w.ops.join(','),
    }, startTime);
    if (span) spans.push({ span, sourceTs: w.first.sourceTs });
  }
  return (err?: unknown) => {
    const now = Date.now();
    for (const s of spans) {
      // from the write's commit at the source to applied in the target
      s.span.setAttribute('ficus.cdc.lag_ms', Math.max(0, now - s.sourceTs));
      endSpan(s.span, err);
    }
  };
};
