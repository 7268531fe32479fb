/**
 * The port through which checkout and cancel run their sagas (the Temporal adapter is
 * `createTemporalCheckoutSaga` in @ficus/workflows; tests may use a fake). The orders service only
 * starts sagas and reads their outcome; the steps live in the workflows.
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
  /** Starts the saga of a checkout key, or joins the one already started with that key; waits up to `waitMs`. */
  placeOrder(checkoutKey: string, request: PlaceOrderRequest, waitMs: number): Promise<SagaOutcome<PlacedOrder>>;
  /** Starts (or joins) the cancel saga of an order; waits up to `waitMs`. */
  cancelOrder(request: { orderKey: string; orderId: number; userId: number }, waitMs: number): Promise<SagaOutcome<{ orderId: number }>>;
}
