import { FicusError } from '@ficus/common';
import { inventoryErrorCodes } from './api/inventory-api.ts';

export type InventoryErrorCode = keyof typeof inventoryErrorCodes;

export const inventoryError = (code: InventoryErrorCode, message: string, details?: Record<string, unknown>): FicusError =>
  new FicusError(code, message, { status: inventoryErrorCodes[code], details, retriable: inventoryErrorCodes[code] === 503 });
