/**
 * The port through which the orders service's checkout and cancel run their sagas (the Temporal adapter
 * is `createTemporalCheckoutSaga`, both from `@ficus/workflows/saga-client`; tests may use a fake). The
 * orders service only starts sagas and reads their outcome; the steps live in the workflows. These types
 * live with the saga, not in the orders service, so that the saga does not depend on the service that
 * starts it (docs/decisions/0017-package-boundaries.md).
 */
export interface CheckoutLine { productId: number; sku: string; name: string; unitPriceCents: number; quantity: number }

export interface PlaceOrderRequest {
  userId: number;
  customer: { email: string; name: string };
  /** In the monolith's cart order. */
  items: CheckoutLine[];
}

export type SagaOutcome<T> =
  | { state: 'completed'; result: T }
  /** A business failure (`ORDER_OUT_OF_STOCK`, `PAYMENT_DECLINED`, …) or `CHECKOUT_FAILED`; compensated. */
  | { state: 'failed'; code: string; message: string; details?: Record<string, unknown> | undefined }
  /** Still running when the wait ended. */
  | { state: 'running' }
  | { state: 'not-found' };

export interface PlacedOrder { orderKey: string; orderId: number }

export interface CheckoutSaga {
  /** The saga of a user's checkout key, waiting up to `waitMs` while it runs. */
  findCheckout(userId: number, checkoutKey: string, waitMs: number): Promise<SagaOutcome<PlacedOrder>>;
  /**
   * Starts the saga of a checkout key, or joins the one already started with that key; waits up to
   * `waitMs`. `requestId` (the checkout's `x-request-id`) goes with the saga to every call its activities make.
   */
  placeOrder(checkoutKey: string, request: PlaceOrderRequest, waitMs: number, requestId?: string): Promise<SagaOutcome<PlacedOrder>>;
  /** Starts (or joins) the cancel saga of an order; waits up to `waitMs`; `requestId` as for placeOrder. */
  cancelOrder(request: { orderKey: string; orderId: number; userId: number }, waitMs: number, requestId?: string): Promise<SagaOutcome<{ orderId: number }>>;
}

/**
 * What the saga reads of an order from the orders service's internal API (`GET /internal/orders/:key`).
 * The orders service's `InternalOrderJson` must provide it (checked in extracted-services/orders/src/checkout/saga-contract.ts).
 */
export interface SagaOrderView {
  id: number;
  status: string;
  totalCents: number;
  customer: { id: number; email: string };
  items: Array<{ sku: string; name: string; quantity: number; lineTotalCents: number }>;
  payments: Array<{ kind: string; amountCents: number; gatewayRef: string }>;
}
