/**
 * Stable error codes the proxy answers with (`{ "error": { "code", "message", "requestId" } }`) or
 * throws at start. The docs list the same set; a test keeps them in step.
 */
export const proxyErrorCodes = {
  PROXY_BAD_REQUEST: { status: 400, meaning: 'malformed request (bad header value, conflicting Content-Length/Transfer-Encoding, bad request target)' },
  PROXY_HEADERS_TOO_LARGE: { status: 431, meaning: 'request headers exceed the limit' },
  PROXY_METHOD_NOT_ALLOWED: { status: 405, meaning: 'a method the proxy never forwards (CONNECT, TRACE)' },
  PROXY_REQUEST_TIMEOUT: { status: 408, meaning: 'the client did not send a complete request in time' },
  PROXY_UPSTREAM_UNAVAILABLE: { status: 502, meaning: 'no backend could answer (connection refused or reset), after any fallback' },
  PROXY_UPSTREAM_TIMEOUT: { status: 504, meaning: 'the backend did not send response headers within the route timeout' },
  PROXY_CIRCUIT_OPEN: { status: 502, meaning: "the service's circuit breaker is open and the request may not fall back to legacy" },
  PROXY_BAD_UPSTREAM_RESPONSE: { status: 502, meaning: 'the backend answered with something the proxy cannot relay' },
  PROXY_WRITES_HELD: { status: 503, meaning: 'a write of an ownership unit waited past its deadline while the unit switches owner, or while the proxy cannot read ownership; nothing was written: retry after Retry-After' },
  ADMIN_UNAUTHORIZED: { status: 401, meaning: 'admin API request without the right bearer token' },
  ROUTE_TABLE_INVALID: { status: 500, meaning: 'start refused: the route table file is invalid (one line per mistake)' },
  FLAG_BOOTSTRAP_INVALID: { status: 500, meaning: 'start refused: the flag bootstrap file is invalid' },
  SHADOW_STORE_UNAVAILABLE: { status: 500, meaning: "start refused: the shadow store's MariaDB (FICUS_PROXY_SHADOW_DB_URL) refuses the proxy (password, database, grants); the message names it without its password. One that does not answer does not stop the start" },
  OWNERSHIP_NOT_PROVISIONED: { status: 500, meaning: "start refused: a route names a unit and the proxy's own MariaDB user (FICUS_PROXY_DB_USER) cannot follow write ownership: the ownership database or a table is missing, the user may not sign in, or it lacks a grant; the message names which and what to run" },
  CONFIG_INVALID: { status: 500, meaning: 'start refused: an environment variable is invalid' },
  CONFIG_UNSAFE_FOR_PRODUCTION: { status: 500, meaning: 'start refused: FICUS_ENV=production with a public default secret, token or password, or an implicit non-loopback address (each setting named)' },
} as const;
export type ProxyErrorCode = keyof typeof proxyErrorCodes;
