import path from 'node:path';
import type { Knex } from 'knex';
import type { NoiseModel } from '../compare/noise.ts';
import type { FieldClass, FieldCount, MismatchSummary, NewMismatch, RouteCounts, ShadowStore, StoredMismatch, StoredOutcome } from './shadow-store-type.ts';

export const shadowSchemaDirectory = path.resolve(import.meta.dirname, 'schema');

/** Brings the shadow tables to the latest schema (its own knex history table, so it can share a database). */
export const applyShadowSchema = async (knex: Knex): Promise<void> => {
  await knex.migrate.latest({ directory: shadowSchemaDirectory, loadExtensions: ['.ts'], tableName: 'shadow_knex_migrations' });
};

interface MismatchRow { id: number | string; route: string; request_id: string; outcome: StoredOutcome; reason: string | null; method: string; url: string; total: number; fields: string; record: string; created_at: Date }

const toSummary = (r: MismatchRow): MismatchSummary => ({
  id: Number(r.id), route: r.route, requestId: r.request_id, outcome: r.outcome, reason: r.reason, at: new Date(r.created_at).toISOString(),
  method: r.method, url: r.url, total: r.total, fields: JSON.parse(r.fields) as string[],
});

/** The MariaDB/MySQL store: increments are upserts, so several proxy instances can share it. */
export const createKnexShadowStore = (knex: Knex, o: { destroyOnClose?: boolean } = {}): ShadowStore => ({
  async addCounts(counts, fields) {
    const rows = Object.entries(counts).flatMap(([route, c]) => Object.entries(c).filter(([, v]) => v).map(([name, value]) => ({ route, name, value })));
    await knex.transaction(async (trx) => {
      if (rows.length) await trx('shadow_counters').insert(rows).onConflict(['route', 'name']).merge({ value: trx.raw('shadow_counters.value + VALUES(value)'), updated_at: trx.fn.now(3) });
      if (fields.length) {
        await trx('shadow_field_counts').insert(fields.map((f) => ({ route: f.route, field: f.field.slice(0, 255), cls: f.cls, count: f.count, last_request_id: f.lastRequestId.slice(0, 128) })))
          .onConflict(['route', 'field', 'cls']).merge({ count: trx.raw('shadow_field_counts.count + VALUES(count)'), last_request_id: trx.raw('VALUES(last_request_id)'), updated_at: trx.fn.now(3) });
      }
    });
  },
  async saveMismatch(m: NewMismatch) {
    const [id] = await knex('shadow_mismatches').insert({
      route: m.route, request_id: m.requestId.slice(0, 128), outcome: m.outcome, reason: m.reason?.slice(0, 500) ?? null, method: m.method,
      url: m.url.slice(0, 2048), total: m.total, fields: JSON.stringify([...new Set(m.differences.map((d) => d.field))]), record: JSON.stringify(m), created_at: new Date(m.at),
    });
    return Number(id);
  },
  async counts() {
    const rows = await knex('shadow_counters').select('route', 'name', 'value') as Array<{ route: string; name: keyof RouteCounts; value: number | string }>;
    const out: Record<string, RouteCounts> = {};
    for (const r of rows) (out[r.route] ??= {})[r.name] = Number(r.value);
    return out;
  },
  async fields(q) {
    let query = knex('shadow_field_counts').select('route', 'field', 'cls', 'count', 'last_request_id').orderBy([{ column: 'count', order: 'desc' }, { column: 'field' }]).limit(q.limit);
    if (q.route) query = query.where('route', q.route);
    if (q.cls) query = query.where('cls', q.cls);
    const rows = await query as Array<{ route: string; field: string; cls: FieldClass; count: number | string; last_request_id: string }>;
    return rows.map((r): FieldCount => ({ route: r.route, field: r.field, cls: r.cls, count: Number(r.count), lastRequestId: r.last_request_id }));
  },
  async mismatches(q) {
    let query = knex('shadow_mismatches').select('id', 'route', 'request_id', 'outcome', 'reason', 'method', 'url', 'total', 'fields', 'created_at').orderBy('id', 'desc').limit(q.limit);
    if (q.route) query = query.where('route', q.route);
    if (q.outcome) query = query.where('outcome', q.outcome);
    if (q.beforeId !== undefined) query = query.where('id', '<', q.beforeId);
    return ((await query) as MismatchRow[]).map(toSummary);
  },
  async mismatch(id) {
    const row = await knex('shadow_mismatches').where({ id }).first('id', 'record') as { id: number | string; record: string } | undefined;
    return row ? { ...(JSON.parse(row.record) as Omit<StoredMismatch, 'id'>), id: Number(row.id) } : undefined;
  },
  async noiseModels() {
    const fields = await knex('shadow_field_counts').where('cls', 'legacy').select('route', 'field', 'count') as Array<{ route: string; field: string; count: number | string }>;
    const pairs = await knex('shadow_counters').where('name', 'noise_pairs').select('route', 'value') as Array<{ route: string; value: number | string }>;
    const out: Record<string, NoiseModel> = {};
    for (const p of pairs) out[p.route] = { pairs: Number(p.value), fields: {} };
    for (const f of fields) (out[f.route] ??= { pairs: 0, fields: {} }).fields[f.field] = Number(f.count);
    return out;
  },
  async prune(p) {
    // in batches, so no delete holds many row locks against the replicas' inserts
    const batch = 5_000;
    let deleted = 0;
    const drain = async (where: (q: Knex.QueryBuilder) => Knex.QueryBuilder) => {
      for (;;) {
        const n = Number(await where(knex('shadow_mismatches')).orderBy('id').limit(batch).delete());
        deleted += n;
        if (n < batch) return;
      }
    };
    if (p.olderThan) await drain((q) => q.where('created_at', '<', p.olderThan!));
    const edge = await knex('shadow_mismatches').orderBy('id', 'desc').offset(p.keep).first('id') as { id: number | string } | undefined;
    if (edge) await drain((q) => q.where('id', '<=', edge.id));
    return deleted;
  },
  async close() { if (o.destroyOnClose) await knex.destroy(); },
});
