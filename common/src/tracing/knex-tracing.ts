import { SpanKind, trace, type Span } from '@opentelemetry/api';
import type { Knex } from 'knex';
import { activeTracing } from './start-tracing.ts';
import { handOffDbSpan } from './sql-trace-comment.ts';
import { endSpan } from './remote-parent-span.ts';

interface QueryEvent { __knexQueryUid?: string; __knexUid?: string; sql?: string; method?: string }

const maxStatementChars = 2_000;

/**
 * Database spans from knex's own `query` / `query-response` / `query-error` events (so for mysql2
 * under knex, transactions included), without patching any module. A query gets a span only inside
 * a recorded span (a traced request, activity or message): pool pings and pollers stay out.
 */
export const traceKnex = (knex: Knex, database?: string): void => {
  const tracing = activeTracing();
  if (!tracing || typeof (knex as { on?: unknown }).on !== 'function') return;
  const open = new Map<string, Span>();
  const emitter = knex as unknown as NodeJS.EventEmitter;
  emitter.on('query', (q: QueryEvent) => {
    const parent = trace.getActiveSpan();
    if (!q.__knexQueryUid || !parent?.isRecording()) return;
    const sql = String(q.sql ?? '');
    const operation = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase() ?? 'QUERY';
    const span = tracing.tracer.startSpan(database ? `${operation} ${database}` : operation, {
      kind: SpanKind.CLIENT,
      attributes: {
        'db.system': 'mariadb',
        'db.operation.name': operation,
        'db.query.text': sql.length > maxStatementChars ? `${sql.slice(0, maxStatementChars)}…` : sql,
        ...(database ? { 'db.namespace': database } : {}),
      },
    });
    open.set(q.__knexQueryUid, span);
    // a write's binlog comment names this span (withSqlTraceComments), not its parent
    if (q.__knexUid) handOffDbSpan(q.__knexUid, sql, span);
  });
  const end = (q: QueryEvent | undefined, err?: Error) => {
    const uid = q?.__knexQueryUid;
    const span = uid ? open.get(uid) : undefined;
    if (!span) return;
    open.delete(uid!);
    endSpan(span, err);
  };
  emitter.on('query-response', (_response: unknown, q: QueryEvent) => end(q));
  emitter.on('query-error', (err: Error, q: QueryEvent) => end(q, err));
};
