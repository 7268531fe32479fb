import type { RequestHandler, Response } from 'express';
import { FicusError } from '../errors/ficus-error.ts';
import { userHeaderName, verifyUserToken, type UserClaims } from './user-token.ts';

/**
 * Puts the caller's verified claims on `res.locals.caller` when `x-ficus-user` carries a valid
 * token. A missing, forged or expired token leaves the request anonymous (routes that need a user
 * answer AUTH_REQUIRED), exactly as the monolith treats a bad session cookie.
 */
export const callerFromSignedHeader = (secrets: readonly string[], clock: () => number = Date.now): RequestHandler => (req, res, next) => {
  const token = req.headers[userHeaderName];
  if (typeof token === 'string' && token.length > 0) {
    const r = verifyUserToken(token, secrets, clock());
    if (r.ok) res.locals.caller = r.claims;
  }
  next();
};

export const callerOf = (res: Response): UserClaims | undefined => res.locals.caller as UserClaims | undefined;

/** A monolith user (customer or admin); the monolith's AUTH_REQUIRED otherwise. */
export const requireUser = (res: Response): UserClaims => {
  const c = callerOf(res);
  if (!c || c.role === 'service') throw new FicusError('AUTH_REQUIRED', 'log in first: this endpoint needs a session cookie', { status: 401 });
  return c;
};

/** An admin user; the monolith's FORBIDDEN for other users. */
export const requireAdmin = (res: Response): UserClaims => {
  const c = requireUser(res);
  if (c.role !== 'admin') throw new FicusError('FORBIDDEN', 'this endpoint needs the admin role', { status: 403 });
  return c;
};

/**
 * Guards every internal (service-to-service) endpoint: a `service` token, or an admin for operators.
 * `createServiceApp` mounts it on `/internal`, so a handler added there needs no check of its own.
 */
export const requireServiceIdentity: RequestHandler = (_req, res, next) => {
  const c = callerOf(res);
  if (!c) throw new FicusError('AUTH_REQUIRED', 'internal endpoint: needs a signed x-ficus-user service token', { status: 401 });
  if (c.role !== 'service' && c.role !== 'admin') throw new FicusError('FORBIDDEN', 'internal endpoint: needs the service role', { status: 403 });
  next();
};
