import { createHash, randomBytes } from 'node:crypto';

export const sessionCookieName = 'ficus_session';
/** Read by the strangler proxy for sticky canaries (FICUS_PROXY_USER_COOKIE). */
export const stickinessCookieName = 'ficus_uid';

/** A fresh random session token for the cookie. */
export const newSessionToken = (): string => randomBytes(32).toString('base64url');

/** SECURITY: only the SHA-256 of the token is stored, so the sessions table cannot be replayed. */
export const sessionIdOf = (token: string): string => createHash('sha256').update(token).digest('hex');
