/**
 * The codes every service answers with through the shared middleware in this package (validation,
 * body parsing, unknown routes, the signed-user checks, readiness, the error handler). Each
 * service's catalogue spreads these and adds its own.
 */
export const sharedServiceErrorCodes = {
  VALIDATION_FAILED: 400, BODY_MALFORMED_JSON: 400, BODY_TOO_LARGE: 413, ROUTE_NOT_FOUND: 404,
  AUTH_REQUIRED: 401, FORBIDDEN: 403, NOT_READY: 503, INTERNAL: 500,
} as const;
