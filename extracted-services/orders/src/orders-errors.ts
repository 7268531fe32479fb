import { FicusError } from '@ficus/common';
import { orderErrorCodes } from './api/orders-api.ts';

export type OrderErrorCode = keyof typeof orderErrorCodes;

export const orderError = (code: OrderErrorCode, message: string, details?: Record<string, unknown>): FicusError =>
  new FicusError(code, message, { status: orderErrorCodes[code], details, retriable: orderErrorCodes[code] >= 500 });
