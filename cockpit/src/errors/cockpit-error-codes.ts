import { FicusError } from '@ficus/common/core';

/**
 * Stable error codes the cockpit answers with (`{ "error": { "code", "message" } }`). The docs page
 * (docs/components/cockpit.md) lists the same set; a test keeps them in step.
 */
export const cockpitErrorCodes = {
  COCKPIT_SIGN_IN_REQUIRED: { status: 401, meaning: 'no valid session cookie: open a sign-in link (`./ficus cockpit link`)' },
  COCKPIT_SIGN_IN_LINK_INVALID: { status: 401, meaning: 'the sign-in link was already used, has expired or was never issued' },
  COCKPIT_UNAUTHORIZED: { status: 401, meaning: 'the sign-in-link API was called without the admin bearer token' },
  COCKPIT_FORBIDDEN_ORIGIN: { status: 403, meaning: 'a control request came from another origin, or not as JSON' },
  COCKPIT_BAD_REQUEST: { status: 400, meaning: 'a malformed control request (unknown action, abort without a reason)' },
  COCKPIT_NOT_FOUND: { status: 404, meaning: 'no such page, mismatch, route or migration' },
  COCKPIT_SOURCE_UNAVAILABLE: { status: 502, meaning: 'the proxy admin API, the migration admin or the CDC metrics did not answer' },
  COCKPIT_SOURCE_REFUSED: { status: 502, meaning: 'a source answered with an error; its code and message are passed on in `details`' },
  CONFIG_INVALID: { status: 500, meaning: 'start refused: an environment variable is invalid' },
  CONFIG_UNSAFE_FOR_PRODUCTION: { status: 500, meaning: 'start refused: FICUS_ENV=production with a public default secret, token or password, or an implicit non-loopback address (each setting named)' },
} as const;
export type CockpitErrorCode = keyof typeof cockpitErrorCodes;

export const cockpitError = (code: CockpitErrorCode, message: string, details?: Record<string, unknown>) =>
  new FicusError(code, message, { status: cockpitErrorCodes[code].status, details });
