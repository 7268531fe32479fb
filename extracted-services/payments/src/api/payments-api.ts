import { z } from 'zod';
import { sharedServiceErrorCodes } from '@ficus/common';

/**
 * The payments service's contract. All routes are internal (the order saga calls them with a
 * signed `service` token); the monolith has no payment routes of its own to reproduce.
 * Every intent is addressed by the caller's key (e.g. `order-saga-<workflowId>-payment`).
 */
export const paymentRoutes = {
  intent: '/internal/payment-intents/:key',
  capture: '/internal/payment-intents/:key/capture',
  void: '/internal/payment-intents/:key/void',
  refund: '/internal/payment-intents/:key/refunds/:refundKey',
} as const;

export const paymentsDefaultPort = 3104;

const timestamp = z.iso.datetime({ offset: false });
export const idempotencyKey = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, '1-128 letters, digits or ._:@-');
export const keyParams = z.object({ key: idempotencyKey });
export const refundParams = z.object({ key: idempotencyKey, refundKey: idempotencyKey });

export const authorizeBody = z.strictObject({
  amountCents: z.int().min(1).max(10_000_000_000),
  currency: z.literal('EUR').default('EUR'),
  /** Free reference for people reading the data (e.g. the order key). */
  reference: z.string().max(128).optional(),
});
export const refundBody = z.strictObject({ amountCents: z.int().min(1).optional() }).default({});

export const intentStatuses = ['pending', 'authorized', 'declined', 'captured', 'voided', 'refunded'] as const;
export type IntentStatus = (typeof intentStatuses)[number];

export const paymentIntentSchema = z.strictObject({
  key: z.string(),
  status: z.enum(intentStatuses),
  amountCents: z.int().min(0),
  currency: z.string(),
  capturedCents: z.int().min(0),
  refundedCents: z.int().min(0),
  reference: z.string().nullable(),
  authorizationRef: z.string().nullable(),
  declineReason: z.string().nullable(),
  operations: z.array(z.strictObject({
    kind: z.enum(['authorize', 'capture', 'void', 'refund']), key: z.string(), amountCents: z.int().min(0), gatewayRef: z.string(), createdAt: timestamp,
  })),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type PaymentIntentJson = z.infer<typeof paymentIntentSchema>;
export type AuthorizeInput = z.output<typeof authorizeBody>;

/** Every code the payments service answers with. */
export const paymentErrorCodes = {
  ...sharedServiceErrorCodes,
  /** Monolith code: the gateway declined; details.reason. Replaying the key answers the same. */
  PAYMENT_DECLINED: 402,
  /** The gateway failed or timed out; nothing changed; retry with the same key. */
  GATEWAY_UNAVAILABLE: 502,
  PAYMENT_NOT_FOUND: 404,
  /** The intent is not in a state that allows this step; details.status. */
  PAYMENT_INVALID_STATE: 409,
  /** The key was used before with another amount or currency. */
  IDEMPOTENCY_KEY_REUSED: 409,
  /** The refund would exceed what was captured and not yet refunded; details.refundableCents. */
  REFUND_EXCEEDS_CAPTURED: 409,
} as const;
