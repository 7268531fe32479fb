import type { Knex } from 'knex';

/**
 * The inventory service's own schema: stock levels split into on-hand and reserved units, the
 * audit trail of admin adjustments, and reservations (holds that a saga confirms, releases or
 * lets expire), each addressed by the caller's idempotency key.
 */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('stock_levels', (t) => {
    t.bigInteger('product_id').unsigned().primary();
    t.integer('on_hand').unsigned().notNullable().defaultTo(0);
    // Sum of the items of held reservations: available = on_hand - reserved.
    t.integer('reserved').unsigned().notNullable().defaultTo(0);
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
  });
  await knex.schema.createTable('stock_adjustments', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('product_id').unsigned().notNullable();
    t.integer('delta').notNullable();
    t.integer('on_hand_after').unsigned().notNullable();
    t.string('reason', 255).notNullable();
    // The monolith user id of the admin (users live in the monolith: no foreign key).
    t.bigInteger('admin_user_id').unsigned().nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['product_id', 'id']);
  });
  await knex.schema.createTable('reservations', (t) => {
    t.bigIncrements('id').primary();
    t.string('reservation_key', 128).notNullable().unique();
    t.string('status', 16).notNullable(); // held | confirmed | released | expired | restocked
    t.string('reference', 128).nullable();
    // SHA-256 of the canonical items: the same key with other items is refused.
    t.specificType('request_hash', 'char(64)').notNullable();
    t.datetime('expires_at', { precision: 3 }).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['status', 'expires_at']);
  });
  await knex.schema.createTable('reservation_items', (t) => {
    t.bigInteger('reservation_id').unsigned().notNullable().references('reservations.id').onDelete('CASCADE');
    t.bigInteger('product_id').unsigned().notNullable();
    t.integer('quantity').unsigned().notNullable();
    t.primary(['reservation_id', 'product_id']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('reservation_items');
  await knex.schema.dropTable('reservations');
  await knex.schema.dropTable('stock_adjustments');
  await knex.schema.dropTable('stock_levels');
};
