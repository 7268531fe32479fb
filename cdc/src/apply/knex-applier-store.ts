import type { Knex } from 'knex';
import type { ApplierStore } from './applier-store-type.ts';
import { retryOnLockConflict } from '@ficus/common';

/** Bookkeeping tables the applier keeps in each target database. */
export const ensureApplierTables = async (knex: Knex): Promise<void> => {
  if (!(await knex.schema.hasTable('cdc_row_versions'))) {
    await knex.schema.createTable('cdc_row_versions', (t) => {
      t.string('stream', 120).notNullable();
      t.string('row_key', 255).notNullable();
      t.integer('gtid_domain').unsigned().notNullable();
      t.bigInteger('gtid_seq').unsigned().notNullable();
      t.primary(['stream', 'row_key']);
    });
  }
  if (!(await knex.schema.hasTable('cdc_partition_offsets'))) {
    await knex.schema.createTable('cdc_partition_offsets', (t) => {
      t.string('stream', 120).notNullable();
      t.string('topic', 249).notNullable();
      t.integer('kpartition').notNullable();
      t.bigInteger('next_offset').notNullable();
      t.datetime('applied_at', { precision: 3 }).notNullable();
      t.primary(['stream', 'topic', 'kpartition']);
    });
  }
  // where each partition stands at the source: "has position X been applied?" and end-to-end lag
  // (added to targets created before they existed)
  if (!(await knex.schema.hasColumn('cdc_partition_offsets', 'last_gtid'))) {
    await knex.schema.alterTable('cdc_partition_offsets', (t) => {
      t.string('last_gtid', 64).nullable();
      t.bigInteger('last_source_ts').nullable();
    });
  }
};

/** Chunks keep each statement well under max_allowed_packet and the placeholder limit. */
const chunk = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/**
 * `knex` must be the sync writer's own connection pool, whose sessions mark their writes with the
 * sync GTID domain (see createSyncWriterKnex) so the other direction drops them as echoes.
 */
export const createKnexApplierStore = (knex: Knex): ApplierStore => {
  const applyOnce: ApplierStore['apply'] = async (stream, mapping, plan, p, nextOffset, progress) => {
    await knex.transaction(async (trx) => {
      const keyCols = mapping.targetKey;
      const deletes = [...plan.deletes.values()];
      for (const part of chunk(deletes, 500)) {
        await trx(mapping.targetTable).whereIn(keyCols, part.map((r) => keyCols.map((c) => r[c] as string | number))).delete();
      }
      const upserts = [...plan.upserts.values()];
      for (const part of chunk(upserts, 500)) await trx(mapping.targetTable).insert(part).onConflict(keyCols).merge();
      const versions = [...plan.versions].map(([row_key, v]) => ({ stream, row_key, gtid_domain: v.domain, gtid_seq: v.seq }));
      for (const part of chunk(versions, 1000)) await trx('cdc_row_versions').insert(part).onConflict(['stream', 'row_key']).merge();
      await trx('cdc_partition_offsets')
        .insert({ stream, topic: p.topic, kpartition: p.partition, next_offset: nextOffset.toString(), applied_at: new Date(), ...(progress?.lastGtid ? { last_gtid: progress.lastGtid, last_source_ts: progress.lastSourceTs } : {}) })
        .onConflict(['stream', 'topic', 'kpartition']).merge();
    });
  };
  return {
    async versions(stream, keys) {
      const out = new Map<string, { domain: number; seq: number }>();
      for (const part of chunk(keys, 1000)) {
        const rows = await knex('cdc_row_versions').where({ stream }).whereIn('row_key', part).select('row_key', 'gtid_domain', 'gtid_seq');
        for (const r of rows as Array<{ row_key: string; gtid_domain: number; gtid_seq: number | string }>) out.set(r.row_key, { domain: r.gtid_domain, seq: Number(r.gtid_seq) });
      }
      return out;
    },

    async nextOffset(stream, p) {
      const row = await knex('cdc_partition_offsets').where({ stream, topic: p.topic, kpartition: p.partition }).first('next_offset');
      return row ? BigInt(row.next_offset) : undefined;
    },

    async apply(stream, mapping, plan, p, nextOffset, progress) {
      // partitions apply in parallel transactions, so a lock conflict is expected now and then
      await retryOnLockConflict(() => applyOnce(stream, mapping, plan, p, nextOffset, progress), { minDelayMs: 20 });
    },
  };
};
