import type { Knex } from 'knex';
import { retryOnLockConflict } from '@ficus/common';
import type { IntentStore, PaymentsUnitOfWork } from './intent-store-type.ts';
import type { Intent, Operation } from './intent-types.ts';

const columns: Record<string, string> = {
  status: 'status', capturedCents: 'captured_cents', refundedCents: 'refunded_cents', authorizationRef: 'authorization_ref',
  declineReason: 'decline_reason', updatedAt: 'updated_at',
};

export const createIntentStore = (db: Knex | Knex.Transaction): IntentStore => ({
  async find(key, lock = false) {
    const q = db('payment_intents').where({ intent_key: key }).first();
    const row = await (lock ? q.forUpdate() : q);
    if (!row) return undefined;
    const ops = await db('payment_operations').where({ intent_id: row.id }).orderBy('id');
    return {
      key: row.intent_key, status: row.status, amountCents: Number(row.amount_cents), currency: row.currency,
      capturedCents: Number(row.captured_cents), refundedCents: Number(row.refunded_cents), reference: row.reference,
      requestHash: row.request_hash, authorizationRef: row.authorization_ref, declineReason: row.decline_reason,
      operations: ops.map((o: { kind: Operation['kind']; operation_key: string; amount_cents: number; gateway_ref: string; created_at: Date }) => ({
        kind: o.kind, key: o.operation_key, amountCents: Number(o.amount_cents), gatewayRef: o.gateway_ref, createdAt: o.created_at,
      })),
      createdAt: row.created_at, updatedAt: row.updated_at,
    } satisfies Intent;
  },
  async insert(i) {
    await db('payment_intents').insert({
      intent_key: i.key, status: i.status, amount_cents: i.amountCents, currency: i.currency, captured_cents: i.capturedCents,
      refunded_cents: i.refundedCents, reference: i.reference, request_hash: i.requestHash, authorization_ref: i.authorizationRef,
      decline_reason: i.declineReason, created_at: i.createdAt, updated_at: i.updatedAt,
    });
  },
  async update(key, patch) {
    const row = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined).map(([k, v]) => [columns[k]!, v]));
    await db('payment_intents').where({ intent_key: key }).update(row);
  },
  async insertOperation(intentKey, op) {
    const intent = await db('payment_intents').where({ intent_key: intentKey }).first('id');
    await db('payment_operations').insert({
      intent_id: intent.id, operation_key: op.key, kind: op.kind, amount_cents: op.amountCents, gateway_ref: op.gatewayRef, created_at: op.createdAt,
    });
  },
});

export const createPaymentsUnitOfWork = (knex: Knex): PaymentsUnitOfWork => ({
  run: (fn) => retryOnLockConflict(() => knex.transaction((trx) => fn(createIntentStore(trx)))),
});
