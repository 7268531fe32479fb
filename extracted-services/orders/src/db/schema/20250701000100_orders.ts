import type { Knex } from 'knex';

/**
 * The orders service's own schema. An order keeps a snapshot of the customer (email, name) and of
 * each product (sku, name, unit price) as they were when it was placed: no joins to tables of
 * other services. `order_key` is the saga's idempotency key (null for orders copied from legacy).
 */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('orders', (t) => {
    t.bigIncrements('id').primary();
    t.string('order_key', 128).nullable().unique();
    t.bigInteger('user_id').unsigned().notNullable();
    t.string('customer_email', 255).notNullable();
    t.string('customer_name', 100).notNullable();
    t.string('status', 16).notNullable(); // pending | paid | failed | cancelled
    t.bigInteger('total_cents').unsigned().notNullable();
    t.specificType('currency', 'char(3)').notNullable().defaultTo('EUR');
    t.specificType('request_hash', 'char(64)').nullable();
    t.string('failure_code', 64).nullable();
    t.string('failure_reason', 255).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('cancelled_at', { precision: 3 }).nullable();
    t.index(['user_id', 'status', 'id']);
    t.index(['status', 'updated_at']);
  });
  await knex.schema.createTable('order_items', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('order_id').unsigned().notNullable().references('orders.id').onDelete('CASCADE');
    t.bigInteger('product_id').unsigned().notNullable();
    t.string('sku', 32).notNullable();
    t.string('product_name', 200).notNullable();
    t.integer('quantity').unsigned().notNullable();
    t.integer('unit_price_cents').unsigned().notNullable();
    t.index(['order_id', 'id']);
  });
  await knex.schema.createTable('order_payments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('order_id').unsigned().notNullable().references('orders.id').onDelete('CASCADE');
    t.string('kind', 16).notNullable(); // charge | refund
    t.string('status', 16).notNullable(); // succeeded
    t.bigInteger('amount_cents').unsigned().notNullable();
    t.string('gateway_ref', 64).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['order_id', 'id']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('order_payments');
  await knex.schema.dropTable('order_items');
  await knex.schema.dropTable('orders');
};
