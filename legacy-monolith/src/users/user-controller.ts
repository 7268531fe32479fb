import { Router, type CookieOptions, type Response } from 'express';
import type { UserService } from './user-service.ts';
import { validate } from '../http/validate.ts';
import { requireUser } from '../http/session-user.ts';
import { loginBody, profilePatchBody, registerBody } from '../contract/user-contract.ts';
import { sessionCookieName, stickinessCookieName } from './session-token.ts';

export const createUserController = (users: UserService, sessionTtlHours: number): Router => {
  const cookie: CookieOptions = { httpOnly: true, sameSite: 'lax', path: '/', maxAge: sessionTtlHours * 3_600_000 };
  /**
   * The session, plus `ficus_uid` for the strangler proxy's canary stickiness (one user stays on
   * one side). It is only a routing hint: identity always comes from the session.
   */
  const setSession = (res: Response, token: string, userId: number) =>
    res.cookie(sessionCookieName, token, cookie).cookie(stickinessCookieName, String(userId), { ...cookie, httpOnly: false });
  const router = Router();

  router.post('/api/auth/register', async (req, res) => {
    const { user, token } = await users.register(validate(registerBody, req.body, 'body'));
    setSession(res, token, user.id).status(201).json(user);
  });

  router.post('/api/auth/login', async (req, res) => {
    const { user, token } = await users.login(validate(loginBody, req.body, 'body'));
    setSession(res, token, user.id).json(user);
  });

  router.post('/api/auth/logout', async (req, res) => {
    requireUser(res);
    await users.logout(String(req.cookies[sessionCookieName]));
    res.clearCookie(sessionCookieName, { path: '/' }).clearCookie(stickinessCookieName, { path: '/' }).status(204).end();
  });

  router.get('/api/me', async (_req, res) => {
    res.json(await users.profile(requireUser(res).id));
  });

  router.patch('/api/me', async (req, res) => {
    const user = requireUser(res);
    res.json(await users.updateProfile(user.id, validate(profilePatchBody, req.body, 'body')));
  });

  return router;
};
