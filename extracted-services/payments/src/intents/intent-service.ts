import { createHash } from 'node:crypto';
import { isDuplicateKey } from '@ficus/common';
import type { AuthorizeInput } from '../api/payments-api.ts';
import type { PaymentGateway } from '../gateway/payment-gateway.ts';
import type { IntentStore, PaymentsUnitOfWork } from './intent-store-type.ts';
import type { Intent } from './intent-types.ts';
import { paymentError } from '../payments-errors.ts';

export interface IntentServiceDeps {
  store: IntentStore;
  uow: PaymentsUnitOfWork;
  gateway: PaymentGateway;
  clock: () => Date;
}

const hashOf = (amountCents: number, currency: string) => createHash('sha256').update(`${amountCents}:${currency}`).digest('hex');
const tombstoneHash = '0'.repeat(64);

export const toIntentJson = ({ requestHash: _h, ...i }: Intent) => i;

/**
 * Payment intents. Each step runs in one transaction holding the intent's row lock while it calls
 * the gateway with a key derived from the intent key, so concurrent or retried calls for one
 * intent are serialised and the gateway never acts twice; a gateway failure rolls back the step.
 */
export const createIntentService = ({ store, uow, gateway, clock }: IntentServiceDeps) => {
  const lockedOrThrow = async (s: IntentStore, key: string) => {
    const i = await s.find(key, true);
    if (!i) throw paymentError('PAYMENT_NOT_FOUND', `no payment intent with key ${key}`, { key });
    return i;
  };
  const invalid = (i: Intent, step: string) =>
    paymentError('PAYMENT_INVALID_STATE', `payment ${i.key} is ${i.status}: cannot ${step}`, { key: i.key, status: i.status });
  const declined = (i: Intent) =>
    paymentError('PAYMENT_DECLINED', `payment declined: ${i.declineReason ?? 'declined'}`, { reason: i.declineReason, key: i.key });
  /** Inserts the row unless it exists; a concurrent insert of the same key is fine. */
  const ensure = async (row: Omit<Intent, 'operations'>) => {
    try { await store.insert(row); } catch (e) { if (!isDuplicateKey(e)) throw e; }
  };

  return {
    /** Authorizes `amountCents` once per key; a replay answers the stored outcome (402 again when declined). */
    async authorize(key: string, input: AuthorizeInput): Promise<{ created: boolean; intent: Intent }> {
      const requestHash = hashOf(input.amountCents, input.currency);
      const now = clock();
      await ensure({
        key, status: 'pending', amountCents: input.amountCents, currency: input.currency, capturedCents: 0, refundedCents: 0,
        reference: input.reference ?? null, requestHash, authorizationRef: null, declineReason: null, createdAt: now, updatedAt: now,
      });
      const r = await uow.run(async (s) => {
        const i = await lockedOrThrow(s, key);
        if (i.requestHash === tombstoneHash) throw invalid(i, 'authorize (it was voided before it was authorized)');
        if (i.requestHash !== requestHash) throw paymentError('IDEMPOTENCY_KEY_REUSED', `key ${key} was used for another amount`, { key });
        if (i.status !== 'pending') return { created: false, intent: i };
        const answer = await gateway.authorize({ key, amountCents: i.amountCents });
        const at = clock();
        if (!answer.approved) {
          await s.update(key, { status: 'declined', declineReason: answer.reason, updatedAt: at });
        } else {
          await s.update(key, { status: 'authorized', authorizationRef: answer.ref, updatedAt: at });
          await s.insertOperation(key, { kind: 'authorize', key: `${key}:authorize`, amountCents: i.amountCents, gatewayRef: answer.ref, createdAt: at });
        }
        return { created: true, intent: (await s.find(key))! };
      });
      if (r.intent.status === 'declined') throw declined(r.intent);
      return r;
    },

    /** Captures the authorized amount. Idempotent. */
    capture: (key: string) => uow.run(async (s) => {
      const i = await lockedOrThrow(s, key);
      if (i.status === 'captured' || i.status === 'refunded') return i;
      if (i.status !== 'authorized') throw invalid(i, 'capture');
      const { ref } = await gateway.capture({ key: `${key}:capture`, authorizationRef: i.authorizationRef!, amountCents: i.amountCents });
      const at = clock();
      await s.update(key, { status: 'captured', capturedCents: i.amountCents, updatedAt: at });
      await s.insertOperation(key, { kind: 'capture', key: `${key}:capture`, amountCents: i.amountCents, gatewayRef: ref, createdAt: at });
      return (await s.find(key))!;
    }),

    /**
     * Cancels an authorization. Idempotent; voiding a key never authorized records a tombstone so
     * a late authorize with that key (a retry overtaken by its compensation) charges nothing.
     */
    async void(key: string) {
      const now = clock();
      await ensure({
        key, status: 'voided', amountCents: 0, currency: 'EUR', capturedCents: 0, refundedCents: 0, reference: null,
        requestHash: tombstoneHash, authorizationRef: null, declineReason: null, createdAt: now, updatedAt: now,
      });
      return uow.run(async (s) => {
        const i = await lockedOrThrow(s, key);
        if (i.status === 'voided' || i.status === 'declined') return i;
        if (i.status === 'pending') {
          await s.update(key, { status: 'voided', updatedAt: clock() });
          return (await s.find(key))!;
        }
        if (i.status !== 'authorized') throw invalid(i, 'void (refund a captured payment instead)');
        const { ref } = await gateway.void({ key: `${key}:void`, authorizationRef: i.authorizationRef! });
        const at = clock();
        await s.update(key, { status: 'voided', updatedAt: at });
        await s.insertOperation(key, { kind: 'void', key: `${key}:void`, amountCents: 0, gatewayRef: ref, createdAt: at });
        return (await s.find(key))!;
      });
    },

    /** Refunds `amountCents` (default: all that is left) once per refund key. */
    refund: (key: string, refundKey: string, amountCents?: number) => uow.run(async (s) => {
      const i = await lockedOrThrow(s, key);
      const opKey = `${key}:refund:${refundKey}`;
      if (i.operations.some((o) => o.key === opKey)) return i;
      if (i.status !== 'captured') throw invalid(i, 'refund');
      const refundable = i.capturedCents - i.refundedCents;
      const amount = amountCents ?? refundable;
      if (amount > refundable || amount <= 0) {
        throw paymentError('REFUND_EXCEEDS_CAPTURED', `refund of ${amount} exceeds the ${refundable} cents left`, { key, refundableCents: refundable });
      }
      const { ref } = await gateway.refund({ key: opKey, authorizationRef: i.authorizationRef!, amountCents: amount });
      const at = clock();
      const refunded = i.refundedCents + amount;
      await s.update(key, { refundedCents: refunded, status: refunded === i.capturedCents ? 'refunded' : 'captured', updatedAt: at });
      await s.insertOperation(key, { kind: 'refund', key: opKey, amountCents: amount, gatewayRef: ref, createdAt: at });
      return (await s.find(key))!;
    }),

    async get(key: string) {
      const i = await store.find(key);
      if (!i) throw paymentError('PAYMENT_NOT_FOUND', `no payment intent with key ${key}`, { key });
      return i;
    },
  };
};

export type IntentService = ReturnType<typeof createIntentService>;
