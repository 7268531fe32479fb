import type { Knex } from 'knex';

/**
 * The CDC's control database (`ficus_cdc`): the directions each domain syncs in, as requested by
 * the migration workflows and as applied by the CDC process (`cdc_directions`), and the tick row
 * the position checker writes so an idle source's connector moves past a position
 * (`cdc_position_ticks`). Both existed before this migration in deployments that ran the CDC
 * already (created at start-up then), so each is created only when missing.
 */
export const up = async (knex: Knex): Promise<void> => {
  if (!(await knex.schema.hasTable('cdc_directions'))) {
    await knex.schema.createTable('cdc_directions', (t) => {
      t.string('domain', 32).primary();
      t.boolean('forward').notNullable();
      t.boolean('reverse').notNullable();
      t.bigInteger('requested_version').notNullable().defaultTo(0);
      t.bigInteger('applied_version').notNullable().defaultTo(-1);
      t.datetime('updated_at', { precision: 3 }).notNullable();
    });
  }
  if (!(await knex.schema.hasTable('cdc_position_ticks'))) {
    await knex.schema.createTable('cdc_position_ticks', (t) => {
      t.tinyint('id').primary();
      t.datetime('at', { precision: 3 }).notNullable();
    });
  }
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTableIfExists('cdc_position_ticks');
  await knex.schema.dropTableIfExists('cdc_directions');
};
