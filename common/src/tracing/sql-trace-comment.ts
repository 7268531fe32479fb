import { TraceFlags, trace, type Span, type SpanContext } from '@opentelemetry/api';
import type { Knex } from 'knex';
import { activeTracing } from './start-tracing.ts';
import { formatTraceparent, parseTraceparent, type ParsedTraceparent } from './traceparent.ts';

// A write's trace context carried into the binlog: MariaDB's annotate rows event keeps the
// statement as sent, comment included, and Debezium's `include.query` puts it in the change
// event's `source.query`, where the CDC reads it back (decision 0021).

const prefix = "/*traceparent='";
const suffix = "'*/ ";
const writeStatement = /^\s*(?:insert|update|delete|replace)\b/i;

/** `/*traceparent='00-…-01'*\/ ` + the statement. */
export const withTraceComment = (sql: string, traceparent: string): string => `${prefix}${traceparent}${suffix}${sql}`;

/**
 * The `traceparent` of a statement that starts with the comment `withTraceComment` writes, or
 * undefined (no comment, a malformed one). One `startsWith` for a statement without it.
 */
export const traceparentFromSql = (sql: string | null | undefined): ParsedTraceparent | undefined => {
  if (!sql?.startsWith(prefix)) return undefined;
  const end = prefix.length + 55;
  return sql.startsWith(suffix, end) ? parseTraceparent(sql.slice(prefix.length, end)) : undefined;
};

// knex-tracing's DB span for the statement knex is about to send: knex emits `query` and calls the
// connection's `query` in the same tick, so the hook below can make that span the write's parent.
let handedOff: { connection: unknown; sql: string; context: SpanContext } | undefined;

/** Called by traceKnex for each DB span it starts (`connection`: knex's `__knexUid`). */
export const handOffDbSpan = (connection: unknown, sql: string, span: Span): void => {
  handedOff = { connection, sql, context: span.spanContext() };
};

const contextFor = (connection: unknown, sql: string): SpanContext | undefined => {
  const h = handedOff;
  handedOff = undefined;
  if (h && h.connection === connection && h.sql === sql) return h.context;
  return trace.getActiveSpan()?.spanContext();
};

type QueryArg = string | { sql?: unknown } | undefined;

/** The statement with the active sampled span's `traceparent` if it is a write; else the same value. */
const commented = (connection: unknown, arg: QueryArg): QueryArg => {
  if (!activeTracing()) return arg;
  const sql = typeof arg === 'string' ? arg : arg && Object.getPrototypeOf(arg) === Object.prototype && typeof arg.sql === 'string' ? arg.sql : undefined;
  if (sql === undefined) return arg;
  const ctx = contextFor(connection, sql);
  if (!ctx || (ctx.traceFlags & TraceFlags.SAMPLED) === 0 || !writeStatement.test(sql)) return arg;
  const withComment = withTraceComment(sql, formatTraceparent(ctx.traceId, ctx.spanId, true));
  return typeof arg === 'string' ? withComment : { ...arg, sql: withComment };
};

interface Mysql2Connection { query?: (...args: never[]) => unknown; execute?: (...args: never[]) => unknown; __knexUid?: unknown }

/**
 * Makes one mysql2 connection (ours, from knex's pool) prefix each INSERT / UPDATE / DELETE /
 * REPLACE sent inside a sampled span with `/*traceparent='00-<trace>-<span>-01'*\/`: the span is
 * knex-tracing's DB span for the statement when there is one, else the active span. Both call
 * shapes of `query` / `execute` (a string, an options object `{ sql, … }`) are handled; values
 * are never touched. Outside a sampled span the statement goes as it is.
 */
export const commentSqlWrites = <C extends object>(connection: C): C => {
  const c = connection as C & Mysql2Connection;
  for (const method of ['query', 'execute'] as const) {
    const original = c[method];
    if (typeof original !== 'function') continue;
    c[method] = function (this: unknown, arg: QueryArg, ...rest: unknown[]) {
      return (original as (...a: unknown[]) => unknown).call(this, commented(c.__knexUid, arg), ...rest);
    } as never;
  }
  return connection;
};

type AfterCreate = (connection: unknown, done: (err: Error | null, connection: unknown) => void) => void;

/**
 * Knex pool options whose connections carry the trace context of their writes into the binlog
 * (`commentSqlWrites`), keeping any `afterCreate` of the caller. Example:
 * `knexFactory({ client: 'mysql2', connection, pool: withSqlTraceComments({ min: 0, max: 10 }) })`.
 */
export const withSqlTraceComments = (pool: Knex.PoolConfig = {}): Knex.PoolConfig & { afterCreate: AfterCreate } => ({
  ...pool,
  afterCreate(connection: unknown, done: Parameters<AfterCreate>[1]) {
    commentSqlWrites(connection as object);
    const theirs = pool.afterCreate as AfterCreate | undefined;
    if (theirs) theirs(connection, done);
    else done(null, connection);
  },
});
