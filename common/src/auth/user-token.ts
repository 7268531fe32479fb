import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header the strangler proxy adds after validating the monolith session; services verify it. */
export const userHeaderName = 'x-ficus-user';

export type FicusRole = 'customer' | 'admin' | 'service';

/** Who is calling: a monolith user (customer or admin) or another Ficus component (`service`). */
export interface UserClaims {
  /** The monolith user id; 0 for service callers. */
  userId: number;
  role: FicusRole;
  /** Unix seconds after which the token is refused. */
  exp: number;
}

const roles: ReadonlySet<string> = new Set(['customer', 'admin', 'service']);
const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const mac = (secret: string, payload: string) => createHmac('sha256', secret).update(`v1.${payload}`).digest();

/**
 * `v1.<base64url(JSON claims)>.<base64url(HMAC-SHA256(secret, "v1." + payload))>`.
 * Example: `signUserToken({ userId: 42, role: 'customer', exp: nowSeconds + 60 }, secret)`.
 */
export const signUserToken = (claims: UserClaims, secret: string): string => {
  const payload = b64(JSON.stringify({ sub: claims.userId, role: claims.role, exp: claims.exp }));
  return `v1.${payload}.${b64(mac(secret, payload))}`;
};

/** Signs a short-lived token for a service-to-service call (role `service`). */
export const signServiceToken = (secret: string, ttlSeconds = 60, now = Date.now()): string =>
  signUserToken({ userId: 0, role: 'service', exp: Math.floor(now / 1000) + ttlSeconds }, secret);

export type VerifyResult = { ok: true; claims: UserClaims } | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

/**
 * Checks the signature (constant time) and the expiry. Tokens signed with any of `secrets` pass,
 * so a secret can be rotated by configuring the new and the old one for a while.
 */
export const verifyUserToken = (token: string, secrets: readonly string[], now = Date.now()): VerifyResult => {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'v1' || !parts[1] || !parts[2] || token.length > 1024) return { ok: false, reason: 'malformed' };
  const [, payload, sig] = parts as [string, string, string];
  const given = Buffer.from(sig, 'base64url');
  const valid = secrets.some((s) => {
    const expected = mac(s, payload);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) return { ok: false, reason: 'bad-signature' };
  let raw: unknown;
  try { raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')); } catch { return { ok: false, reason: 'malformed' }; }
  const c = raw as { sub?: unknown; role?: unknown; exp?: unknown };
  if (!Number.isSafeInteger(c.sub) || (c.sub as number) < 0 || typeof c.role !== 'string' || !roles.has(c.role) || !Number.isSafeInteger(c.exp)) {
    return { ok: false, reason: 'malformed' };
  }
  if ((c.exp as number) * 1000 <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { userId: c.sub as number, role: c.role as FicusRole, exp: c.exp as number } };
};
