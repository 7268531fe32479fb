import type { Knex } from 'knex';

/**
 * The payments service's own schema: one payment intent per caller key (authorize, then capture
 * or void, then refunds), and every gateway operation with its own key, so a retried call never
 * charges or refunds twice.
 */
export const up = async (knex: Knex): Promise<void> => {
  await knex.schema.createTable('payment_intents', (t) => {
    t.bigIncrements('id').primary();
    t.string('intent_key', 128).notNullable().unique();
    // pending | authorized | declined | captured | voided | refunded
    t.string('status', 16).notNullable();
    t.bigInteger('amount_cents').unsigned().notNullable();
    t.specificType('currency', 'char(3)').notNullable().defaultTo('EUR');
    t.bigInteger('captured_cents').unsigned().notNullable().defaultTo(0);
    t.bigInteger('refunded_cents').unsigned().notNullable().defaultTo(0);
    t.string('reference', 128).nullable();
    t.specificType('request_hash', 'char(64)').notNullable();
    t.string('authorization_ref', 64).nullable();
    t.string('decline_reason', 255).nullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.datetime('updated_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['reference']);
    t.index(['status', 'updated_at']);
  });
  await knex.schema.createTable('payment_operations', (t) => {
    t.bigIncrements('id').primary();
    t.bigInteger('intent_id').unsigned().notNullable().references('payment_intents.id').onDelete('CASCADE');
    t.string('operation_key', 160).notNullable().unique();
    t.string('kind', 16).notNullable(); // authorize | capture | void | refund
    t.bigInteger('amount_cents').unsigned().notNullable();
    t.string('gateway_ref', 64).notNullable();
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3));
    t.index(['intent_id', 'id']);
  });
};

export const down = async (knex: Knex): Promise<void> => {
  await knex.schema.dropTable('payment_operations');
  await knex.schema.dropTable('payment_intents');
};
