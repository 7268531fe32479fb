import { EventEmitter } from 'node:events';
import { context, trace, TraceFlags, type Span } from '@opentelemetry/api';
import { expect } from 'chai';
import type { Knex } from 'knex';
import { traceKnex } from './knex-tracing.ts';
import { startMemoryTracing } from './memory-tracing.ts';
import { commentSqlWrites, traceparentFromSql, withSqlTraceComments, withTraceComment } from './sql-trace-comment.ts';

type Call = { method: string; args: unknown[] };

/** A stand-in for one mysql2 connection: records what reaches it. */
const fakeConnection = (uid = '__knexUid1') => {
  const calls: Call[] = [];
  const conn = {
    __knexUid: uid,
    query(...args: unknown[]) { calls.push({ method: 'query', args }); return 'query-result'; },
    execute(...args: unknown[]) { calls.push({ method: 'execute', args }); return 'execute-result'; },
  };
  return { conn, calls };
};

const insert = 'insert into `orders` (`id`, `note`) values (?, ?)';
const bindings = [7, "it's /* not */ a comment"];

describe('tracing: traceparent SQL comments on writes (withSqlTraceComments)', () => {
  let mem: ReturnType<typeof startMemoryTracing>;
  before(() => { mem = startMemoryTracing('sql-comment-test', 1); });
  after(() => mem.tracing.shutdown());

  const inSpan = <T>(fn: (span: Span) => T, sampled = true): T => {
    const span = sampled
      ? mem.tracing.tracer.startSpan('work')
      : trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE });
    try { return context.with(trace.setSpan(context.active(), span), () => fn(span)); } finally { span.end(); }
  };
  const traceparentOf = (span: Span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;

  it('prefixes INSERT, UPDATE, DELETE and REPLACE in a sampled span, in both call shapes knex uses; values untouched', () => {
    const { conn, calls } = fakeConnection();
    commentSqlWrites(conn);
    const callback = () => undefined;
    const span = inSpan((s) => {
      // knex's _query: an options object, the bindings, a callback; its _stream: no callback
      expect(conn.query({ sql: insert, typeCast: false }, bindings, callback)).to.equal('query-result');
      conn.query({ sql: 'UPDATE `orders` SET `note` = ?' }, bindings);
      // a string (knex's version check, raw mysql2 use) and execute
      conn.query('  delete from `orders` where `id` = 7', callback);
      conn.execute('replace into `orders` (`id`) values (?)', [1]);
      return s;
    });
    const comment = `/*traceparent='${traceparentOf(span)}'*/ `;
    expect(calls[0]!.args).to.deep.equal([{ sql: comment + insert, typeCast: false }, bindings, callback]);
    expect(calls[0]!.args[1]).to.equal(bindings);
    expect(calls[1]!.args[0]).to.deep.equal({ sql: `${comment}UPDATE \`orders\` SET \`note\` = ?` });
    expect(calls[2]!.args).to.deep.equal([`${comment}  delete from \`orders\` where \`id\` = 7`, callback]);
    expect(calls[3]).to.deep.equal({ method: 'execute', args: [`${comment}replace into \`orders\` (\`id\`) values (?)`, [1]] });
  });

  it('leaves SELECTs, writes outside a span and writes in an unsampled span as they are', () => {
    const { conn, calls } = fakeConnection();
    commentSqlWrites(conn);
    const options = { sql: insert };
    conn.query(options, bindings); // no active span
    inSpan(() => { conn.query({ sql: 'select * from `orders` where `id` = ?' }, [7]); conn.query('BEGIN;'); conn.query('insert_log_view'); });
    inSpan(() => conn.query(options, bindings), false);
    expect(calls.map((c) => c.args[0])).to.deep.equal([options, { sql: 'select * from `orders` where `id` = ?' }, 'BEGIN;', 'insert_log_view', options]);
    expect(calls[0]!.args[0]).to.equal(options);
    expect(mem.spans().filter((s) => s.name === 'work')).to.have.length.greaterThan(0);
  });

  it('names knex-tracing\'s DB span for the statement when there is one (same connection, same SQL)', () => {
    const knex = new EventEmitter() as unknown as Knex;
    traceKnex(knex, 'svc_orders');
    const emit = (knex as unknown as EventEmitter).emit.bind(knex);
    const { conn, calls } = fakeConnection('__knexUid9');
    commentSqlWrites(conn);
    mem.reset();
    const work = inSpan((s) => {
      // knex emits `query`, then calls the connection in the same tick
      emit('query', { __knexQueryUid: 'q1', __knexUid: '__knexUid9', sql: insert });
      conn.query({ sql: insert }, bindings);
      emit('query-response', [], { __knexQueryUid: 'q1' });
      // another connection's span is not this statement's
      emit('query', { __knexQueryUid: 'q2', __knexUid: '__knexUid3', sql: insert });
      conn.query({ sql: insert }, bindings);
      emit('query-response', [], { __knexQueryUid: 'q2' });
      return s;
    });
    const db = mem.spans().filter((s) => s.name === 'INSERT svc_orders');
    expect(db).to.have.length(2);
    expect(traceparentFromSql((calls[0]!.args[0] as { sql: string }).sql)).to.deep.equal({ traceId: work.spanContext().traceId, spanId: db[0]!.spanContext().spanId, sampled: true });
    expect(traceparentFromSql((calls[1]!.args[0] as { sql: string }).sql)?.spanId).to.equal(work.spanContext().spanId);
  });

  it('pool options: the caller\'s afterCreate still runs, after the connection is hooked', async () => {
    const { conn, calls } = fakeConnection();
    let seen: unknown;
    const pool = withSqlTraceComments({ min: 0, max: 2, afterCreate: (c: unknown, done: (e: Error | null, c: unknown) => void) => { seen = c; done(null, c); } });
    expect(pool).to.include({ min: 0, max: 2 });
    await new Promise<void>((resolve, reject) => pool.afterCreate(conn, (e) => (e ? reject(e) : resolve())));
    expect(seen).to.equal(conn);
    const span = inSpan((s) => { conn.query(insert, bindings); return s; });
    expect(calls[0]!.args[0]).to.equal(withTraceComment(insert, traceparentOf(span)));
    const bare = fakeConnection();
    await new Promise<void>((resolve) => withSqlTraceComments().afterCreate(bare.conn, () => resolve()));
    inSpan(() => bare.conn.query(insert));
    expect(String(bare.calls[0]!.args[0])).to.match(/^\/\*traceparent='00-[0-9a-f]{32}-[0-9a-f]{16}-01'\*\/ insert/);
  });

  it('reads the traceparent back from a statement (what the binlog and Debezium\'s source.query keep)', () => {
    const tp = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    expect(traceparentFromSql(withTraceComment(insert, tp))).to.deep.equal({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', sampled: true });
    for (const sql of [insert, null, undefined, '', `/*traceparent='${tp.slice(0, 50)}'*/ insert`, `/*traceparent='${tp.toUpperCase()}'*/ x`, `/*traceparent='${tp}'*/insert`, ` /*traceparent='${tp}'*/ insert`]) {
      expect(traceparentFromSql(sql), String(sql)).to.equal(undefined);
    }
  });
});
