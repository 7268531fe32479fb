import { FicusError } from '@ficus/common';
import { paymentErrorCodes } from './api/payments-api.ts';

export type PaymentErrorCode = keyof typeof paymentErrorCodes;

export const paymentError = (code: PaymentErrorCode, message: string, details?: Record<string, unknown>): FicusError =>
  new FicusError(code, message, { status: paymentErrorCodes[code], details, retriable: paymentErrorCodes[code] >= 500 });
