// Shared by workflows, activities, the client and the orders service: plain data, no I/O, no
// Node built-ins (the workflow bundle imports it).

/** The task queue every order-saga worker polls. */
export const orderSagaTaskQueue = 'ficus-order-saga';

export interface SagaItem {
  productId: number;
  sku: string;
  name: string;
  unitPriceCents: number;
  quantity: number;
}

export interface PlaceOrderInput {
  userId: number;
  /** Snapshot of the customer at checkout. */
  customer: { email: string; name: string };
  /** The cart lines, in the monolith's cart order (so a shortage names the same product). */
  items: SagaItem[];
  /**
   * The stock is already held under the saga's reservation key (the orders service holds it before
   * starting, so a checkout that cannot get stock never starts a workflow; decision 0014).
   */
  stockHeld?: boolean;
}

export interface PlaceOrderResult {
  orderKey: string;
  orderId: number;
  totalCents: number;
  chargeRef: string;
}

export interface CancelOrderInput {
  /** The key the order was created with: the PlaceOrder workflow id. */
  orderKey: string;
  orderId: number;
  userId: number;
}

export interface CancelOrderResult {
  orderKey: string;
  orderId: number;
  refundRef: string;
  refundedCents: number;
}

/**
 * A saga's outcome once it is decided (the `sagaDecision` update's answer): completed with the
 * result, or failed (compensated) with the code the orders service answers as the monolith does.
 */
export type SagaDecision<T> =
  | { state: 'completed'; result: T }
  | { state: 'failed'; code: string; message: string; details?: Record<string, unknown> | undefined };

/** A failure's first detail, when it is an object (the shape the orders service answers with). */
export const firstDetails = (details: readonly unknown[] | null | undefined): Record<string, unknown> | undefined => {
  const d = details?.[0];
  return d && typeof d === 'object' ? d as Record<string, unknown> : undefined;
};

/** The update that answers a saga's decision (defined in workflows.ts; the client names it). */
export const sagaDecisionUpdateName = 'sagaDecision';
/** The same decision as a query (`null` while undecided): for status checks that must not wait. */
export const sagaDecisionQueryName = 'sagaDecisionNow';

/** One step of a saga as the `sagaSteps` query and `ficus orders saga` report it. */
export interface SagaStep {
  name: string;
  kind: 'action' | 'compensation' | 'notification';
  status: 'running' | 'done' | 'skipped' | 'failed';
  detail?: string;
}

/** One checkout = one PlaceOrder workflow: a user's key can never join another user's saga. */
export const placeOrderWorkflowId = (userId: number, checkoutKey: string): string => `checkout:${userId}:${checkoutKey}`;
export const cancelOrderWorkflowId = (orderKey: string): string => `cancel:${orderKey}`;

/**
 * Every idempotency key the saga uses, derived from the PlaceOrder workflow id, so a retried
 * activity, a restarted worker or a replayed workflow addresses the same resources.
 */
export const sagaKeys = (placeOrderWorkflowId: string) => ({
  order: placeOrderWorkflowId,
  reservation: `${placeOrderWorkflowId}:stock`,
  payment: `${placeOrderWorkflowId}:payment`,
  /** The refund of a cancelled order (one per order: a cancel refunds everything captured). */
  cancelRefund: 'cancel',
  /** The refund a compensation issues when a step after capture fails. */
  compensationRefund: 'compensation',
});

/**
 * Business failures: the saga ends with these codes as non-retryable ApplicationFailures, and the
 * orders service answers them as the monolith does.
 */
export const sagaFailureCodes = {
  ORDER_OUT_OF_STOCK: 409,
  PAYMENT_DECLINED: 402,
  ORDER_NOT_CANCELLABLE: 409,
  /** Not a business outcome: a service stayed unavailable past the retry policy; compensated. */
  CHECKOUT_FAILED: 503,
} as const;
export type SagaFailureCode = keyof typeof sagaFailureCodes;

export const sagaSearchAttributes = { orderId: 'FicusOrderId', userId: 'FicusUserId', migration: 'FicusMigration' } as const;
