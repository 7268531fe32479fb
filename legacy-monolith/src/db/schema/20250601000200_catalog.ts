import type { Knex } from 'knex';

export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('categories', (t) => {
    t.bigIncrements('id').primary();
    t.string('name', 100).notNullable();
    t.string('slug', 100).notNullable().unique();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
  await knex.schema.createTable('products', (t) => {
    t.bigIncrements('id').primary();
    t.string('sku', 32).notNullable().unique();
    t.string('name', 200).notNullable();
    t.text('description').notNullable();
    t.bigInteger('category_id').unsigned().notNullable().references('categories.id');
    t.integer('price_cents').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['category_id', 'price_cents']);
    t.index(['price_cents']);
    t.index(['created_at']);
    t.index(['name']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('products');
  await knex.schema.dropTable('categories');
};
