import type { Knex } from 'knex';
import type { ApplierStore } from './applier-store-type.ts';
import { retryOnLockConflict } from '@ficus/common';

/** Chunks keep each statement well under max_allowed_packet and the placeholder limit. */
const chunk = <T>(xs: T[], n: number): T[][] => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, i * n + n));

/**
 * The applier's bookkeeping (`cdc_row_versions`, `cdc_partition_offsets`) in the target database;
 * the tables come from the CDC's schema files (provision/schema/synced).
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
