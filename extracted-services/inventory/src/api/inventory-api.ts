import { z } from 'zod';
import { sharedServiceErrorCodes } from '@ficus/common';

/**
 * The inventory service's contract. `/api/...` routes are the monolith's (admin stock and
 * adjustments); `/internal/...` routes are for other services and the order saga and need a signed
 * `service` token (see docs/decisions/0005-service-auth.md).
 */
export const inventoryRoutes = {
  stock: '/api/inventory/:productId',
  adjustments: '/api/inventory/:productId/adjustments',
  internalStock: '/internal/stock/:productId',
  internalStockBatch: '/internal/stock',
  reservation: '/internal/reservations/:key',
  confirm: '/internal/reservations/:key/confirm',
  release: '/internal/reservations/:key/release',
  restock: '/internal/reservations/:key/restock',
} as const;

export const inventoryDefaultPort = 3102;

const idSchema = z.int().positive();
const timestamp = z.iso.datetime({ offset: false });
export const maxStock = 1_000_000_000;

/** An idempotency key: derived by the caller (e.g. `order-saga-<workflowId>`), at most 128 characters. */
export const idempotencyKey = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, '1-128 letters, digits or ._:@-');
export const keyParams = z.object({ key: idempotencyKey });
export const productIdParams = z.object({ productId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

// --- monolith routes (same contract) ---
export const adjustBody = z.strictObject({
  delta: z.int().min(-1_000_000).max(1_000_000).refine((d) => d !== 0, 'must not be 0'),
  reason: z.string().trim().min(3).max(255),
});
export const adjustmentsQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
export const stockSchema = z.strictObject({ productId: idSchema, quantity: z.int().min(0), updatedAt: timestamp.nullable() });
export const adjustmentSchema = z.strictObject({
  id: idSchema, productId: idSchema, delta: z.int(), quantityAfter: z.int().min(0), reason: z.string(),
  adminUserId: idSchema.nullable(), createdAt: timestamp,
});
export const adjustmentListSchema = z.strictObject({ items: z.array(adjustmentSchema) });

// --- internal routes ---
/** `onHand` units in the warehouse, `reserved` of them held by live reservations, `available` = onHand - reserved. */
export const stockLevelSchema = z.strictObject({
  productId: idSchema, onHand: z.int().min(0), reserved: z.int().min(0), available: z.int().min(0), updatedAt: timestamp,
});
export const stockBatchQuery = z.object({
  productIds: z.string().regex(/^\d+(,\d+){0,99}$/, 'comma-separated product ids, at most 100')
    .transform((s) => [...new Set(s.split(',').map(Number))]),
});
export const stockBatchSchema = z.strictObject({ items: z.array(stockLevelSchema) });
export const setStockBody = z.strictObject({ onHand: z.int().min(0).max(maxStock) });

export const reserveBody = z.strictObject({
  items: z.array(z.strictObject({ productId: idSchema, quantity: z.int().min(1).max(maxStock) })).min(1).max(100)
    .refine((items) => new Set(items.map((i) => i.productId)).size === items.length, 'each product at most once'),
  /** How long the hold lasts unless confirmed; the service caps it (default and maximum in its config). */
  ttlSeconds: z.int().min(1).max(86_400).optional(),
  /** Free reference for people reading the data (e.g. the order key). */
  reference: z.string().max(128).optional(),
});

export const reservationStatuses = ['held', 'confirmed', 'released', 'expired', 'restocked'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

export const reservationSchema = z.strictObject({
  key: z.string(),
  status: z.enum(reservationStatuses),
  items: z.array(z.strictObject({ productId: idSchema, quantity: z.int().min(1) })),
  reference: z.string().nullable(),
  expiresAt: timestamp,
  createdAt: timestamp,
  updatedAt: timestamp,
});

export type StockLevelJson = z.infer<typeof stockLevelSchema>;
export type ReservationJson = z.infer<typeof reservationSchema>;
export type ReserveInput = z.output<typeof reserveBody>;

/** Every code the inventory service answers with. */
export const inventoryErrorCodes = {
  ...sharedServiceErrorCodes,
  /** Monolith code: no stock row for this product id. */
  PRODUCT_NOT_FOUND: 404,
  /** Monolith code: the adjustment would leave stock outside 0..1,000,000,000. */
  INVENTORY_OUT_OF_RANGE: 409,
  /** Not enough available units for an item; details: productId, requested, available. Nothing was held. */
  INSUFFICIENT_STOCK: 409,
  /** The key was used before with different items. */
  IDEMPOTENCY_KEY_REUSED: 409,
  RESERVATION_NOT_FOUND: 404,
  /** The reservation is not in a state that allows this step; details: status. */
  RESERVATION_INVALID_STATE: 409,
} as const;
