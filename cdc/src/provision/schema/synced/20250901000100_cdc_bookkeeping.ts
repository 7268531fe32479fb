import type { Knex } from 'knex';

/**
 * The CDC's tables in every database it syncs (as a target, a source or both): which change of
 * each row was applied (`cdc_row_versions`), where each partition stands (`cdc_partition_offsets`)
 * and Debezium's signal table for incremental snapshots (`cdc_debezium_signal`). Databases synced
 * before this migration already hold some of them (created at start-up then), so each step runs
 * only when its table or column is missing.
 */
export const up = async (knex: Knex): Promise<void> => {
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
  // where each partition stands at the source ("has position X been applied?", end-to-end lag):
  // added after the first targets were created
  if (!(await knex.schema.hasColumn('cdc_partition_offsets', 'last_gtid'))) {
    await knex.schema.alterTable('cdc_partition_offsets', (t) => {
      t.string('last_gtid', 64).nullable();
      t.bigInteger('last_source_ts').nullable();
    });
  }
  if (!(await knex.schema.hasTable('cdc_debezium_signal'))) {
    await knex.schema.createTable('cdc_debezium_signal', (t) => {
      t.string('id', 42).primary();
      t.string('type', 32).notNullable();
      t.string('data', 2048).nullable();
    });
  }
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTableIfExists('cdc_debezium_signal');
  await knex.schema.dropTableIfExists('cdc_partition_offsets');
  await knex.schema.dropTableIfExists('cdc_row_versions');
};
