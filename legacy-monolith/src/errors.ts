import { FicusError } from '@ficus/common';

/**
 * Every error code the monolith can answer with, its HTTP status and when it happens.
 * This is part of the public contract: the OpenAPI document lists each code, and extracted
 * services must answer with the same code and status for the routes they take over.
 */
export const errorCatalogue = {
  VALIDATION_FAILED: { status: 400, description: 'The body, path or query does not match the schema; details.issues lists each problem.' },
  BODY_MALFORMED_JSON: { status: 400, description: 'The body is not valid JSON.' },
  BODY_TOO_LARGE: { status: 413, description: 'The body exceeds 100 kB.' },
  ROUTE_NOT_FOUND: { status: 404, description: 'No such method and path.' },
  AUTH_REQUIRED: { status: 401, description: 'The request has no valid session cookie.' },
  AUTH_INVALID_CREDENTIALS: { status: 401, description: 'Unknown email or wrong password.' },
  FORBIDDEN: { status: 403, description: 'The session user lacks the admin role.' },
  USER_EMAIL_TAKEN: { status: 409, description: 'Another user already has this email.' },
  PROFILE_CURRENT_PASSWORD_WRONG: { status: 400, description: 'Changing the password needs the correct current password.' },
  CATEGORY_NOT_FOUND: { status: 404, description: 'No category with this id.' },
  CATEGORY_SLUG_TAKEN: { status: 409, description: 'Another category already has this slug.' },
  PRODUCT_NOT_FOUND: { status: 404, description: 'No product with this id.' },
  PRODUCT_SKU_TAKEN: { status: 409, description: 'Another product already has this SKU.' },
  INVENTORY_OUT_OF_RANGE: { status: 409, description: 'The adjustment would make the stock negative or larger than 1,000,000,000.' },
  CART_ITEM_NOT_FOUND: { status: 404, description: 'The product is not in the cart.' },
  CART_QUANTITY_LIMIT: { status: 409, description: 'A cart line may hold at most 999 units.' },
  CART_EMPTY: { status: 409, description: 'Checkout needs at least one item in the cart.' },
  ORDER_OUT_OF_STOCK: { status: 409, description: 'Not enough stock for at least one item; details.productId names it. Nothing was written.' },
  ORDER_NOT_FOUND: { status: 404, description: 'No order with this id belongs to the session user.' },
  ORDER_NOT_CANCELLABLE: { status: 409, description: 'The order is already cancelled.' },
  PAYMENT_DECLINED: { status: 402, description: 'The payment gateway declined the charge. Nothing was written.' },
  NOT_READY: { status: 503, description: 'The database is not reachable.' },
  INTERNAL: { status: 500, description: 'An unexpected failure; the log has the details.' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

/** Builds the error for `code` with the catalogue's status. */
export const appError = (code: ErrorCode, message: string, details?: Record<string, unknown>): FicusError =>
  new FicusError(code, message, { status: errorCatalogue[code].status, details, retriable: code === 'NOT_READY' });
