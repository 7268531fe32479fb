import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, context, trace, type Attributes, type Span } from '@opentelemetry/api';
import { activeTracing } from './start-tracing.ts';
import type { ParsedTraceparent } from './traceparent.ts';

export type { Attributes, Span };

/**
 * A CONSUMER span whose parent is a span of another process known only by its `traceparent`,
 * carried in data rather than in a request (a binlog statement's comment: `traceparentFromSql`).
 * It joins that trace (parent-based sampling follows the flag). Undefined while tracing is off.
 * Example: `startConsumerSpan(parsed, 'cdc apply products', { 'ficus.cdc.op': 'u' })`.
 */
export const startConsumerSpan = (parent: ParsedTraceparent, name: string, attributes: Attributes, startTime?: number): Span | undefined => {
  const tracing = activeTracing();
  if (!tracing) return undefined;
  const ctx = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId, spanId: parent.spanId, traceFlags: parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, isRemote: true,
  });
  return tracing.tracer.startSpan(name, { kind: SpanKind.CONSUMER, attributes, ...(startTime === undefined ? {} : { startTime }) }, ctx);
};

/** Ends a span, with an error status and `error.type` (the error's code, else its name) when `err` is given. */
export const endSpan = (span: Span, err?: unknown): void => {
  if (err !== undefined) {
    const e = err as { code?: unknown; name?: string; message?: string };
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(e?.message ?? err) });
    span.setAttribute('error.type', typeof e?.code === 'string' ? e.code : (e?.name ?? 'Error'));
  }
  span.end();
};

/** Runs `fn` with `span` active: the hooks (knex, SQL comments, undici) and child spans see it. */
export const withActiveSpan = <T>(span: Span, fn: () => T): T => context.with(trace.setSpan(context.active(), span), fn);
