import { FicusError } from '@ficus/common';
import { catalogErrorCodes } from './api/catalog-api.ts';

export type CatalogErrorCode = keyof typeof catalogErrorCodes;

/** Builds the error for `code` with the catalogue's status. */
export const catalogError = (code: CatalogErrorCode, message: string, details?: Record<string, unknown>): FicusError =>
  new FicusError(code, message, { status: catalogErrorCodes[code], details, retriable: catalogErrorCodes[code] === 503 });
