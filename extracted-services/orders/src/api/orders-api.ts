import { z } from 'zod';
import { paginationQuery, sharedServiceErrorCodes } from '@ficus/common';

/**
 * The orders service's contract. `/api/orders...` are the monolith's user routes (list and view,
 * same shapes and codes); `/internal/orders...` are what the order saga calls (create, mark paid,
 * mark failed, mark cancelled, view, list), with a signed `service` token. Checkout itself
 * (`POST /api/orders`) and cancel are the saga issue's.
 */
export const orderRoutes = {
  list: '/api/orders',
  view: '/api/orders/:id',
  internalList: '/internal/orders',
  internalOrder: '/internal/orders/:key',
  markPaid: '/internal/orders/:key/mark-paid',
  markFailed: '/internal/orders/:key/mark-failed',
  markCancelled: '/internal/orders/:key/mark-cancelled',
} as const;

export const ordersDefaultPort = 3103;

const idSchema = z.int().positive();
const timestamp = z.iso.datetime({ offset: false });
export const idempotencyKey = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, '1-128 letters, digits or ._:@-');
export const keyParams = z.object({ key: idempotencyKey });
export const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const orderListQuery = z.object(paginationQuery);

// --- monolith routes (same contract) ---
export const orderSummarySchema = z.strictObject({
  id: idSchema, status: z.enum(['paid', 'cancelled']), totalCents: z.int().min(0), itemCount: z.int().min(0),
  createdAt: timestamp, updatedAt: timestamp, cancelledAt: timestamp.nullable(),
});
export const orderDetailSchema = orderSummarySchema.extend({
  customer: z.strictObject({ id: idSchema, email: z.string(), name: z.string() }),
  items: z.array(z.strictObject({
    productId: idSchema, sku: z.string(), name: z.string(), quantity: z.int().min(1), unitPriceCents: z.int().min(0), lineTotalCents: z.int().min(0),
  })),
  payments: z.array(z.strictObject({
    id: idSchema, kind: z.enum(['charge', 'refund']), status: z.literal('succeeded'), amountCents: z.int().min(0), gatewayRef: z.string(), createdAt: timestamp,
  })),
});
export const orderPageSchema = z.strictObject({
  items: z.array(orderSummarySchema), page: z.int().min(1), pageSize: z.int().min(1).max(100), total: z.int().min(0), totalPages: z.int().min(0),
});

// --- internal routes ---
export const orderStatuses = ['pending', 'paid', 'failed', 'cancelled'] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export const createOrderBody = z.strictObject({
  userId: idSchema,
  /** Snapshot of the customer when the order is placed. */
  customer: z.strictObject({ email: z.string().min(3).max(255), name: z.string().min(1).max(100) }),
  /** Snapshot of each product when the order is placed. */
  items: z.array(z.strictObject({
    productId: idSchema, sku: z.string().min(1).max(32), name: z.string().min(1).max(200),
    unitPriceCents: z.int().min(0).max(100_000_000), quantity: z.int().min(1).max(999),
  })).min(1).max(100),
});
const paymentFact = z.strictObject({ amountCents: z.int().min(0), gatewayRef: z.string().min(1).max(64) });
export const markPaidBody = z.strictObject({ charge: paymentFact });
export const markCancelledBody = z.strictObject({ refund: paymentFact });
export const markFailedBody = z.strictObject({ code: z.string().regex(/^[A-Z0-9_]{1,64}$/), reason: z.string().max(255).default('') });
export const internalListQuery = z.object({
  ...paginationQuery,
  userId: z.coerce.number().int().positive().optional(),
  status: z.enum(orderStatuses).optional(),
});

export const internalOrderSchema = orderDetailSchema.extend({
  key: z.string().nullable(),
  status: z.enum(orderStatuses),
  failure: z.strictObject({ code: z.string(), reason: z.string() }).nullable(),
});
export type InternalOrderJson = z.infer<typeof internalOrderSchema>;
export type CreateOrderInput = z.output<typeof createOrderBody>;

/** Every code the orders service answers with. */
export const orderErrorCodes = {
  ...sharedServiceErrorCodes,
  /** Monolith code: no such order for this user (someone else's order is missing too). */
  ORDER_NOT_FOUND: 404,
  /** The order's state does not allow this step; details.status. */
  ORDER_INVALID_STATE: 409,
  /** The key was used before for another order. */
  IDEMPOTENCY_KEY_REUSED: 409,
  // --- checkout and cancel (the order saga; same codes and statuses as the monolith's) ---
  /** Monolith code: checkout of an empty cart. */
  CART_EMPTY: 409,
  /** Monolith code: not enough stock; details productId, requested, available. Nothing held or charged. */
  ORDER_OUT_OF_STOCK: 409,
  /** Monolith code: the gateway declined; details.reason. Nothing held or charged. */
  PAYMENT_DECLINED: 402,
  /** Monolith code: the order is not paid (already cancelled). */
  ORDER_NOT_CANCELLABLE: 409,
  /** No checkout with this idempotency key for this user (status URL). */
  CHECKOUT_NOT_FOUND: 404,
  /** A service stayed unavailable past the saga's retries; everything was compensated; try again. */
  CHECKOUT_FAILED: 503,
  /** The monolith's cart or profile could not be read. Nothing was started. */
  CART_UNAVAILABLE: 503,
} as const;

/** Checkout and cancel routes (the order saga). */
export const checkoutRoutes = {
  checkout: '/api/orders',
  status: '/api/orders/checkouts/:key',
  cancel: '/api/orders/:id/cancel',
} as const;

/** Header carrying the client's checkout idempotency key; a repeated key answers the same checkout. */
export const idempotencyKeyHeader = 'idempotency-key';
export const checkoutKeySchema = z.string().regex(/^[A-Za-z0-9._@-]{1,64}$/, '1-64 letters, digits or ._@-');

/** The answer past the wait bound (202): the saga goes on; poll `statusUrl`. */
export const checkoutPendingSchema = z.strictObject({
  status: z.literal('pending'), checkoutKey: z.string(), statusUrl: z.string(),
});
