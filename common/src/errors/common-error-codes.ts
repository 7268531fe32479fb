/**
 * Codes raised by @ficus/common itself: the shared service middleware (validation, body parsing,
 * unknown routes, the signed-user checks, readiness, the error handler), configuration parsing and
 * the write-ownership store. `status` is the HTTP status where a code crosses HTTP, else where it
 * surfaces (`start`, `run`, `workflow`, `dead-letter`). The docs page (docs/components/extracted-services.md,
 * "## Error codes") lists the same set; a test keeps them in step.
 */
export const commonErrorCodes = {
  VALIDATION_FAILED: { status: 400, meaning: 'the body, query or path parameters do not match the route\'s schema; `details.issues[]` names each field' },
  BODY_MALFORMED_JSON: { status: 400, meaning: 'the body is not JSON' },
  BODY_TOO_LARGE: { status: 413, meaning: 'the body is over the JSON parser\'s limit' },
  BODY_ENCODING_UNSUPPORTED: { status: 415, meaning: 'the body has a Content-Encoding the parser does not take' },
  BODY_CHARSET_UNSUPPORTED: { status: 415, meaning: 'the body has a charset the parser does not take' },
  REQUEST_ABORTED: { status: 400, meaning: 'the client closed the request before its body was read' },
  ROUTE_NOT_FOUND: { status: 404, meaning: 'no route for this method and path' },
  AUTH_REQUIRED: { status: 401, meaning: 'no valid signed `x-ficus-user` header: a user route without a session, or an `/internal` route without a service token' },
  FORBIDDEN: { status: 403, meaning: 'signed, but the wrong role: an admin route called by a customer, an `/internal` route by a user' },
  NOT_READY: { status: 503, meaning: '`/ready` cannot reach the database (retriable)' },
  INTERNAL: { status: 500, meaning: 'a bug: logged, the body never carries a stack' },
  TRACING_CONFIG_INVALID: { status: 'start', meaning: 'start refused: a tracing setting (`FICUS_TRACING`, `FICUS_TRACING_SAMPLE_RATIO`, `OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, `FICUS_TRACING_ZIPKIN_URL`, `OTEL_SERVICE_NAME`) is invalid (one line per variable)' },
  CONFIG_INVALID: { status: 'start', meaning: 'start refused: an environment variable is invalid (one line per variable)' },
  CONFIG_UNSAFE_FOR_PRODUCTION: { status: 'start', meaning: 'start refused with `FICUS_ENV=production`: a secret, token or password is unset or has a public development value, or the listen address is an implicit non-loopback one (one line per setting)' },
  OWNERSHIP_SWITCH_IN_PROGRESS: { status: 'workflow', meaning: 'another switch holds the unit (retriable); the switch of this one is refused' },
  OWNERSHIP_NOT_OWNER: { status: 'workflow', meaning: 'the unit is not owned by the side the switch moves it from' },
  OWNERSHIP_NOT_HELD: { status: 'workflow', meaning: 'the unit\'s writes were not held, so its owner cannot change' },
  OWNERSHIP_NOT_PROVISIONED: { status: 'start', meaning: 'the write-ownership database or one of its tables is missing (the store creates none), or the proxy\'s own MariaDB user may not sign in or lacks a grant on them: the message names them and the provisioning to run; also a provisioning that waited 60 s for another one\'s schema lock (retriable)' },
  SCRAPE_TARGET_INVALID: { status: 'run', meaning: 'a scrape target without job or instance, with a url that is not http(s), credentials in the url, a label name Prometheus refuses (or `job`/`instance` among the labels), or a bearer token with spaces' },
  SCRAPE_TARGET_WRITE_FAILED: { status: 'run', meaning: 'the target file could not be written in `FICUS_SCRAPE_TARGETS_DIR` (with the path and the reason)' },
  PROMQL_QUERY_INVALID: { status: 'run', meaning: 'the PromQL server refused the expression (400/422, its message), the expression is empty, gives a range vector, or gives several series where one was expected' },
  PROMQL_UNAVAILABLE: { status: 'run', meaning: 'the PromQL server did not answer within the timeout, refused the connection or answered 5xx (retriable)' },
  PROMQL_RESPONSE_INVALID: { status: 'run', meaning: 'the answer is not Prometheus\' query API (not JSON, an unknown result type, a malformed sample)' },
} as const;
export type CommonErrorCode = keyof typeof commonErrorCodes;
