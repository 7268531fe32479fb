import type { Knex } from 'knex';

export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('orders', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').unsigned().notNullable().references('users.id');
    t.string('status', 16).notNullable();
    t.bigInteger('total_cents').unsigned().notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('cancelled_at', { precision: 3 }).nullable();
    t.index(['user_id', 'id']);
  });
  await knex.schema.createTable('order_items', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('order_id').unsigned().notNullable().references('orders.id').onDelete('CASCADE');
    t.bigInteger('product_id').unsigned().notNullable().references('products.id');
    t.integer('quantity').unsigned().notNullable();
    t.integer('unit_price_cents').unsigned().notNullable();
    t.index(['order_id']);
  });
  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('order_id').unsigned().notNullable().references('orders.id').onDelete('CASCADE');
    t.string('kind', 16).notNullable(); // charge | refund
    t.string('status', 16).notNullable(); // succeeded
    t.bigInteger('amount_cents').unsigned().notNullable();
    t.string('gateway_ref', 64).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['order_id']);
  });
  await knex.schema.createTable('notifications', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('user_id').unsigned().notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('order_id').unsigned().nullable().references('orders.id').onDelete('SET NULL');
    t.string('channel', 16).notNullable().defaultTo('email');
    t.string('template', 32).notNullable(); // order_placed | order_cancelled
    t.string('recipient', 255).notNullable();
    t.string('subject', 255).notNullable();
    t.text('body').notNullable();
    t.string('status', 16).notNullable().defaultTo('pending'); // pending | sent
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('sent_at', { precision: 3 }).nullable();
    t.index(['status', 'id']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('notifications');
  await knex.schema.dropTable('payments');
  await knex.schema.dropTable('order_items');
  await knex.schema.dropTable('orders');
};
