import type { Knex } from 'knex';

/**
 * The write-ownership record (`ficus_control`): each unit's owner and hold (`ownership_units`),
 * every change to it (`ownership_log`) and the proxies' reports (`ownership_proxies`). The proxy
 * and the migration worker's provisioning created these at run time before this file, so each is
 * created only when missing and a database they made is adopted with its rows.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (!(await knex.schema.hasTable('ownership_units'))) {
    await knex.schema.createTable('ownership_units', (t) => {
      t.string('unit', 64).primary();
      t.string('owner', 8).notNullable();
      t.string('state', 8).notNullable();
      t.bigInteger('version').notNullable();
      t.datetime('hold_until', { precision: 3 }).nullable();
      t.string('by_who', 160).notNullable();
      t.datetime('updated_at', { precision: 3 }).notNullable();
    });
  }
  if (!(await knex.schema.hasTable('ownership_proxies'))) {
    await knex.schema.createTable('ownership_proxies', (t) => {
      t.string('proxy_id', 128).primary();
      t.text('seen').notNullable();
      t.text('inflight').notNullable();
      t.datetime('heartbeat_at', { precision: 3 }).notNullable();
    });
  }
  if (!(await knex.schema.hasTable('ownership_log'))) {
    await knex.schema.createTable('ownership_log', (t) => {
      // signed, as the start-up code made it: adopted and new databases have the same columns
      t.specificType('id', 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY');
      t.string('unit', 64).notNullable();
      t.bigInteger('version').notNullable();
      t.string('owner', 8).notNullable();
      t.string('state', 8).notNullable();
      t.string('by_who', 160).notNullable();
      t.string('note', 500).notNullable();
      t.datetime('at', { precision: 3 }).notNullable();
      t.index(['unit', 'id']);
    });
  }
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTableIfExists('ownership_log');
  await knex.schema.dropTableIfExists('ownership_proxies');
  await knex.schema.dropTableIfExists('ownership_units');
};
