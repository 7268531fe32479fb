import type { Knex } from 'knex';

/**
 * The migration worker's state database (`ficus_migrations`): the audit log of every step and
 * decision (`ficus_migration_audit`) and the backfill positions (`ficus_migration_backfill`).
 * Workers before this migration created both at start-up, so each is created only when missing
 * and a database they made is adopted as it is.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (!(await knex.schema.hasTable('ficus_migration_audit'))) {
    await knex.schema.createTable('ficus_migration_audit', (t) => {
      t.string('run_id', 200).notNullable();
      t.integer('seq').unsigned().notNullable();
      t.string('migration', 64).notNullable();
      t.datetime('at', { precision: 3 }).notNullable();
      t.string('step', 64).notNullable();
      t.string('kind', 16).notNullable();
      t.text('message').notNullable();
      t.text('data').nullable();
      t.primary(['run_id', 'seq']);
      t.index(['migration', 'at']);
    });
  }
  if (!(await knex.schema.hasTable('ficus_migration_backfill'))) {
    await knex.schema.createTable('ficus_migration_backfill', (t) => {
      t.string('migration', 64).notNullable();
      t.string('table_name', 64).notNullable();
      t.string('method', 16).notNullable();
      t.bigInteger('position').nullable();
      t.bigInteger('rows_copied').unsigned().notNullable().defaultTo(0);
      t.boolean('done').notNullable().defaultTo(false);
      t.string('signal_id', 64).nullable();
      t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
      t.primary(['migration', 'table_name']);
    });
  }
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTableIfExists('ficus_migration_backfill');
  await knex.schema.dropTableIfExists('ficus_migration_audit');
};
