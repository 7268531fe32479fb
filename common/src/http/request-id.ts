import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const acceptable = /^[\w.:-]{1,128}$/;

/**
 * Honours an incoming `x-request-id` (the proxy sets one) or makes one, and echoes it. The id is
 * written back onto the request headers so the shared error handler and the logs see the same value.
 */
export const requestId = (): RequestHandler => (req, res, next) => {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && acceptable.test(incoming) ? incoming : randomUUID();
  req.headers['x-request-id'] = id;
  res.setHeader('x-request-id', id);
  next();
};
