import { sagaFailureCodes } from '../order-saga/saga-types.ts';

/**
 * Stable codes the order saga ends with (non-retryable ApplicationFailure types). The orders
 * service answers the first four with these HTTP statuses (`sagaFailureCodes`); `workflow` marks a
 * code that stays in the workflow's history. The docs page (docs/components/workflows.md,
 * "## Error codes") lists the same set; a test keeps them in step.
 */
export const sagaErrorCodes = {
  ORDER_OUT_OF_STOCK: { status: sagaFailureCodes.ORDER_OUT_OF_STOCK, meaning: 'not enough available stock for an item; `details {productId, requested, available}`; nothing held or charged' },
  PAYMENT_DECLINED: { status: sagaFailureCodes.PAYMENT_DECLINED, meaning: 'the gateway declined; `details {reason}`; the stock hold is released' },
  ORDER_NOT_CANCELLABLE: { status: sagaFailureCodes.ORDER_NOT_CANCELLABLE, meaning: 'cancel of an order that is not paid (already cancelled)' },
  CHECKOUT_FAILED: { status: sagaFailureCodes.CHECKOUT_FAILED, meaning: 'a service stayed unavailable past the retry policy; every step was compensated; try again' },
  CANCEL_FAILED: { status: 'workflow', meaning: 'CancelOrder found no capture to refund for a paid order; the orders service answers it as `CHECKOUT_FAILED`' },
} as const;
export type SagaErrorCode = keyof typeof sagaErrorCodes;
