import { Context } from '@temporalio/activity';
import type { Logger, ServiceCall, ServiceClient } from '@ficus/common';
import type { PaymentIntentJson } from '@ficus/payments-service/api';
import type { SagaOrderView } from './checkout-saga-type.ts';
import type { SagaItem } from './saga-types.ts';
import { holdStock, type StockHoldRequest } from './stock-hold.ts';
import { businessFailure, codeOf, rethrowForTemporal } from './activity-failures.ts';
import { currentRequestId } from './request-id-scope.ts';

/** An email the customer should get; a notifications service (or the monolith's outbox) delivers it. */
export interface CustomerNotification {
  template: 'order_placed' | 'order_cancelled';
  /** Unique per email: the sink drops repeats (the activity may run more than once). */
  key: string;
  orderId: number;
  userId: number;
  recipient: string;
  subject: string;
  body: string;
}
export type NotificationSink = (n: CustomerNotification) => Promise<void>;

export interface SagaActivityDeps {
  inventory: ServiceClient;
  payments: ServiceClient;
  orders: ServiceClient;
  notifications: NotificationSink;
  log: Logger;
}

/** What a compensation did: `skipped` when there was nothing to undo (the action never happened or was already undone). */
export type CompensationOutcome = 'done' | 'skipped';

const enc = encodeURIComponent;
const eur = (cents: number) => `EUR ${(cents / 100).toFixed(2)}`;
const workflowIdOf = () => {
  try { return Context.current().info.workflowExecution?.workflowId; } catch { return undefined; }
};
/**
 * The request id a saga's calls carry: the checkout's own `x-request-id`, carried from the orders
 * service in the saga's start header (request-id-scope.ts); for a saga started without one, the
 * workflow id. Either way one checkout can be followed through every service's logs.
 */
const requestId = () => currentRequestId() ?? workflowIdOf()?.replace(/[^\w.:-]/g, '_').slice(0, 128);

/**
 * All I/O of the order saga. Every call carries a key derived from the workflow id, so any
 * retry (Temporal's, or a restarted worker's) addresses the same reservation, intent and order.
 */
export const createActivities = ({ inventory, payments, orders, notifications, log }: SagaActivityDeps) => {
  const call = async <T>(client: ServiceClient, c: ServiceCall): Promise<T> => {
    const id = requestId();
    try {
      return (await client<T>({ ...c, requestId: id })).body;
    } catch (e) {
      log.info({ requestId: id, workflowId: workflowIdOf(), method: c.method, path: c.path, code: codeOf(e) }, 'saga call failed');
      return rethrowForTemporal(e);
    }
  };
  /** For compensations: a state that leaves nothing to undo is success. */
  const tolerate = async (run: () => Promise<unknown>, nothingToUndo: readonly string[]): Promise<CompensationOutcome> => {
    try {
      await run();
      return 'done';
    } catch (e) {
      const failure = e as { type?: string };
      if (failure.type && nothingToUndo.includes(failure.type)) return 'skipped';
      throw e;
    }
  };

  return {
    // --- inventory ---
    async reserveStock(a: StockHoldRequest): Promise<{ expiresAt: string }> {
      return { expiresAt: (await holdStock(inventory, a, requestId())).expiresAt };
    },
    async confirmStock(key: string): Promise<void> {
      await call(inventory, { method: 'POST', path: `/internal/reservations/${enc(key)}/confirm` });
    },
    releaseStock: (key: string) =>
      tolerate(() => call(inventory, { method: 'POST', path: `/internal/reservations/${enc(key)}/release` }), ['RESERVATION_INVALID_STATE']),
    restockStock: (key: string) =>
      tolerate(() => call(inventory, { method: 'POST', path: `/internal/reservations/${enc(key)}/restock` }), ['RESERVATION_NOT_FOUND', 'RESERVATION_INVALID_STATE']),

    // --- payments ---
    async authorizePayment(a: { key: string; amountCents: number; reference: string }): Promise<{ authorizationRef: string }> {
      try {
        const r = await payments<PaymentIntentJson>({
          method: 'PUT', path: `/internal/payment-intents/${enc(a.key)}`, requestId: requestId(),
          body: { amountCents: a.amountCents, currency: 'EUR', reference: a.reference },
        });
        return { authorizationRef: r.body.authorizationRef ?? '' };
      } catch (e) {
        if (codeOf(e) === 'PAYMENT_DECLINED') {
          const reason = String((e as { details?: Record<string, unknown> }).details?.reason ?? 'declined');
          throw businessFailure('PAYMENT_DECLINED', `payment declined: ${reason}`, { reason });
        }
        return rethrowForTemporal(e);
      }
    },
    async capturePayment(key: string): Promise<{ chargeRef: string; amountCents: number }> {
      const intent = await call<PaymentIntentJson>(payments, { method: 'POST', path: `/internal/payment-intents/${enc(key)}/capture` });
      const op = intent.operations.find((o) => o.kind === 'capture');
      return { chargeRef: op?.gatewayRef ?? '', amountCents: intent.capturedCents };
    },
    /** Voids an authorization; an intent already captured is the refund's business (its compensation runs first). */
    voidPayment: (key: string) =>
      tolerate(() => call(payments, { method: 'POST', path: `/internal/payment-intents/${enc(key)}/void` }), ['PAYMENT_INVALID_STATE']),
    /** Refunds what is left of a capture, once per refund key; nothing captured is nothing to refund. */
    async refundPayment(a: { key: string; refundKey: string }): Promise<{ outcome: CompensationOutcome; refundRef: string; amountCents: number }> {
      let intent: PaymentIntentJson;
      try {
        intent = await call<PaymentIntentJson>(payments, { method: 'PUT', path: `/internal/payment-intents/${enc(a.key)}/refunds/${enc(a.refundKey)}`, body: {} });
      } catch (e) {
        const type = (e as { type?: string }).type;
        if (type === 'PAYMENT_NOT_FOUND' || type === 'PAYMENT_INVALID_STATE') return { outcome: 'skipped', refundRef: '', amountCents: 0 };
        throw e;
      }
      const op = intent.operations.find((o) => o.key === `${a.key}:refund:${a.refundKey}`);
      return { outcome: 'done', refundRef: op?.gatewayRef ?? '', amountCents: op?.amountCents ?? 0 };
    },

    // --- orders ---
    async createOrder(a: { key: string; userId: number; customer: { email: string; name: string }; items: SagaItem[] }): Promise<{ orderId: number; totalCents: number }> {
      const o = await call<SagaOrderView>(orders, {
        method: 'PUT', path: `/internal/orders/${enc(a.key)}`,
        body: { userId: a.userId, customer: a.customer, items: a.items },
      });
      return { orderId: o.id, totalCents: o.totalCents };
    },
    async markOrderPaid(a: { key: string; amountCents: number; gatewayRef: string }): Promise<void> {
      await call(orders, { method: 'POST', path: `/internal/orders/${enc(a.key)}/mark-paid`, body: { charge: { amountCents: a.amountCents, gatewayRef: a.gatewayRef } } });
    },
    markOrderFailed: (a: { key: string; code: string; reason: string }) =>
      tolerate(() => call(orders, { method: 'POST', path: `/internal/orders/${enc(a.key)}/mark-failed`, body: { code: a.code, reason: a.reason.slice(0, 255) } }), ['ORDER_INVALID_STATE']),
    async getOrder(key: string): Promise<SagaOrderView> {
      return call<SagaOrderView>(orders, { method: 'GET', path: `/internal/orders/${enc(key)}` });
    },
    async markOrderCancelled(a: { key: string; amountCents: number; gatewayRef: string }): Promise<void> {
      await call(orders, { method: 'POST', path: `/internal/orders/${enc(a.key)}/mark-cancelled`, body: { refund: { amountCents: a.amountCents, gatewayRef: a.gatewayRef } } });
    },

    // --- notifications ---
    async notifyCustomer(a: { template: CustomerNotification['template']; orderKey: string }): Promise<void> {
      const o = await call<SagaOrderView>(orders, { method: 'GET', path: `/internal/orders/${enc(a.orderKey)}` });
      const lines = o.items.map((i) => `${i.quantity} × ${i.name} (${i.sku}) ${eur(i.lineTotalCents)}`).join('\n');
      const placed = a.template === 'order_placed';
      await notifications({
        template: a.template, key: `${a.orderKey}:${a.template}`, orderId: o.id, userId: o.customer.id, recipient: o.customer.email,
        subject: placed ? `Your order #${o.id}` : `Your order #${o.id} was cancelled`,
        body: placed ? `Thank you for your order.\n${lines}\nTotal: ${eur(o.totalCents)}` : `Order #${o.id} was cancelled and ${eur(o.totalCents)} refunded.`,
      });
      log.debug({ requestId: requestId(), workflowId: workflowIdOf(), orderKey: a.orderKey, template: a.template }, 'notification emitted');
    },
  };
};

export type SagaActivities = ReturnType<typeof createActivities>;
