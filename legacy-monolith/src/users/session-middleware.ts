import type { RequestHandler } from 'express';
import type { UserService } from './user-service.ts';
import { sessionCookieName } from './session-token.ts';

/** Puts the session's user (if the cookie names a live session) on `res.locals.user`. */
export const sessionMiddleware = (users: UserService): RequestHandler => async (req, res, next) => {
  const token: unknown = req.cookies?.[sessionCookieName];
  if (typeof token === 'string' && token.length > 0 && token.length <= 128) {
    res.locals.user = await users.userForSession(token);
  }
  next();
};
