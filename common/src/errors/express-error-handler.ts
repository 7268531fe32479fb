import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { isFicusError } from './ficus-error.ts';

/** Body-parser and friends throw errors with `type` and `status`; map them to stable codes. */
const bodyParserCodes: Record<string, string> = {
  'entity.parse.failed': 'BODY_MALFORMED_JSON',
  'entity.too.large': 'BODY_TOO_LARGE',
  'encoding.unsupported': 'BODY_ENCODING_UNSUPPORTED',
  'charset.unsupported': 'BODY_CHARSET_UNSUPPORTED',
  'request.aborted': 'REQUEST_ABORTED',
};

/**
 * The one error middleware of an app: any error becomes
 * `{ "error": { "code", "message", "requestId" } }`, never a stack trace.
 */
export const expressErrorHandler = (log: Logger): ErrorRequestHandler => (err, req, res, _next) => {
  const requestId = String(req.headers['x-request-id'] ?? '');
  let status = 500;
  let body: { code: string; message: string; details?: Record<string, unknown> };
  if (isFicusError(err)) {
    status = err.status;
    body = err.toJSON();
  } else if (err && typeof err === 'object' && typeof err.type === 'string' && bodyParserCodes[err.type]) {
    status = typeof err.status === 'number' ? err.status : 400;
    body = { code: bodyParserCodes[err.type]!, message: String(err.message) };
  } else {
    body = { code: 'INTERNAL', message: 'internal error' };
  }
  if (status >= 500) log.error({ err, requestId, path: req.path }, 'request failed');
  if (res.headersSent) { res.destroy(); return; }
  res.status(status).json({ error: { ...body, requestId } });
};

/** 404 for any route the app does not have, in the same error shape. */
export const notFoundHandler: RequestHandler = (req, res) => {
  res.status(404).json({
    error: { code: 'ROUTE_NOT_FOUND', message: `no route for ${req.method} ${req.path}`, requestId: String(req.headers['x-request-id'] ?? '') },
  });
};
