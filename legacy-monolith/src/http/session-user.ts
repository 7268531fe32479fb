import type { Response } from 'express';
import type { User } from '../users/user-types.ts';
import { appError } from '../errors.ts';

/** The user the session middleware found for this request, if any. */
export const sessionUser = (res: Response): User | undefined => res.locals.user as User | undefined;

export const requireUser = (res: Response): User => {
  const user = sessionUser(res);
  if (!user) throw appError('AUTH_REQUIRED', 'log in first: this endpoint needs a session cookie');
  return user;
};

export const requireAdmin = (res: Response): User => {
  const user = requireUser(res);
  if (user.role !== 'admin') throw appError('FORBIDDEN', 'this endpoint needs the admin role');
  return user;
};
