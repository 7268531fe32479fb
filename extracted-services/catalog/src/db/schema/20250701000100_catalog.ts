import type { Knex } from 'knex';

/**
 * The catalog service's own schema. Ids are the monolith's ids (CDC copies them, so URLs and
 * order snapshots keep pointing at the same product). The CDC applier keeps what it applied in its
 * own bookkeeping tables (cdc_row_versions, cdc_partition_offsets), not in these rows.
 */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('categories', (t) => {
    t.bigIncrements('id').primary();
    t.string('slug', 100).notNullable().unique();
    t.string('name', 100).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['name', 'id']);
  });
  await knex.schema.createTable('products', (t) => {
    t.bigIncrements('id').primary();
    t.string('sku', 32).notNullable().unique();
    t.string('name', 200).notNullable();
    t.text('description').notNullable();
    t.integer('price_cents').unsigned().notNullable();
    t.specificType('currency', 'char(3)').notNullable().defaultTo('EUR');
    t.bigInteger('category_id').unsigned().notNullable().references('categories.id');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    // One index per list order, each ending in id so pages are stable and need no filesort.
    t.index(['category_id', 'created_at', 'id']);
    t.index(['created_at', 'id']);
    t.index(['price_cents', 'id']);
    t.index(['name', 'id']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('products');
  await knex.schema.dropTable('categories');
};
