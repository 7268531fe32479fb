import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/** One structured line per request, with the request id, once the response is finished. */
export const accessLog = (log: Logger): RequestHandler => (req, res, next) => {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    log.info({
      requestId: req.headers['x-request-id'],
      method: req.method,
      path: req.path,
      status: res.statusCode,
      ms: Number(process.hrtime.bigint() - started) / 1e6,
    }, 'request');
  });
  next();
};
