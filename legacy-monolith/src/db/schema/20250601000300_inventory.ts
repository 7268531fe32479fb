import type { Knex } from 'knex';

export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('inventory', (t) => {
    t.bigInteger('product_id').unsigned().primary().references('products.id').onDelete('CASCADE');
    t.integer('quantity').notNullable().defaultTo(0);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
  await knex.schema.createTable('inventory_adjustments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('product_id').unsigned().notNullable().references('products.id').onDelete('CASCADE');
    t.integer('delta').notNullable();
    t.integer('quantity_after').notNullable();
    t.string('reason', 255).notNullable();
    t.bigInteger('admin_user_id').unsigned().nullable().references('users.id').onDelete('SET NULL');
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['product_id', 'id']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('inventory_adjustments');
  await knex.schema.dropTable('inventory');
};
