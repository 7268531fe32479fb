import type { Knex } from 'knex';

/** The proxy's shadow comparison results: per-route counters, per-field counts, stored mismatches. */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('shadow_counters', (t) => {
    t.string('route', 80).notNullable();
    t.string('name', 32).notNullable();
    t.bigInteger('value').notNullable().defaultTo(0);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['route', 'name']);
  });
  await knex.schema.createTable('shadow_field_counts', (t) => {
    t.string('route', 80).notNullable();
    t.string('field', 255).notNullable();
    t.string('cls', 8).notNullable();
    t.bigInteger('count').notNullable().defaultTo(0);
    t.string('last_request_id', 128).notNullable();
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.primary(['route', 'field', 'cls']);
    t.index(['route', 'cls', 'count']);
  });
  await knex.schema.createTable('shadow_mismatches', (t) => {
    t.bigIncrements('id').primary();
    t.string('route', 80).notNullable();
    t.string('request_id', 128).notNullable();
    t.string('outcome', 16).notNullable();
    t.string('reason', 500).nullable();
    t.string('method', 10).notNullable();
    t.string('url', 2048).notNullable();
    t.integer('total').notNullable();
    t.text('fields').notNullable();
    // the whole redacted, size-capped record (requests, responses, differences) as JSON
    t.specificType('record', 'longtext').notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['route', 'id']);
    t.index(['request_id']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTableIfExists('shadow_mismatches');
  await knex.schema.dropTableIfExists('shadow_field_counts');
  await knex.schema.dropTableIfExists('shadow_counters');
};
