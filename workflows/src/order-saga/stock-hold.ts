// Holding a checkout's stock: the saga's first step, and what the orders service does before it
// starts a saga (decision 0014), so both answer a shortage with the monolith's words.
import type { ServiceClient } from '@ficus/common';
import type { ReservationJson } from '@ficus/inventory-service/api';
import { RESERVATION_HOLD_SECONDS } from './saga-policies.ts';
import { businessFailure, codeOf, rethrowForTemporal } from './activity-failures.ts';
import type { SagaItem } from './saga-types.ts';

export interface StockHoldRequest { key: string; items: SagaItem[]; reference: string }

/**
 * Holds the items under `key` (idempotent: the same key answers the hold already made, in whatever
 * state). A shortage is the non-retryable `ORDER_OUT_OF_STOCK` with the monolith's message and
 * details (the first short line in cart order); an outage is rethrown as retriable.
 */
export const holdStock = async (inventory: ServiceClient, a: StockHoldRequest, requestId?: string): Promise<{ expiresAt: string; created: boolean }> => {
  try {
    const r = await inventory<ReservationJson>({
      method: 'PUT', path: `/internal/reservations/${encodeURIComponent(a.key)}`, requestId,
      body: { items: a.items.map((i) => ({ productId: i.productId, quantity: i.quantity })), ttlSeconds: RESERVATION_HOLD_SECONDS, reference: a.reference },
    });
    return { expiresAt: r.body.expiresAt, created: r.status === 201 };
  } catch (e) {
    if (codeOf(e) === 'INSUFFICIENT_STOCK') {
      const d = (e as { details?: Record<string, unknown> }).details ?? {};
      throw businessFailure('ORDER_OUT_OF_STOCK', `not enough stock for product ${String(d.productId)}: ${String(d.available)} left, ${String(d.requested)} wanted`,
        { productId: d.productId, requested: d.requested, available: d.available });
    }
    return rethrowForTemporal(e);
  }
};

/** Lets go of a hold nobody will use (best effort: the hold expires by itself anyway). */
export const releaseHold = async (inventory: ServiceClient, key: string): Promise<void> => {
  await inventory({ method: 'POST', path: `/internal/reservations/${encodeURIComponent(key)}/release` });
};
