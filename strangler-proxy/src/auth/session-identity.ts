import { signUserToken, type FicusRole } from '@ficus/common/core';

export interface SessionIdentityOptions {
  /** Asks the monolith who a session belongs to: the user, or undefined when the session is not valid. */
  lookup: (cookieHeader: string) => Promise<{ userId: number; role: FicusRole } | undefined>;
  secret: string;
  /** How long a looked-up session is trusted before asking again (logout takes effect within it). */
  cacheMs?: number;
  /** Lifetime of each signed header. */
  tokenTtlSeconds?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry { token: string | undefined; until: number; tokenExp: number }

/**
 * Turns a monolith session into the signed `x-ficus-user` header services verify
 * (docs/decisions/0005-service-auth.md). Sessions are looked up once per `cacheMs`; a signed
 * header is reused until shortly before it expires. `cached()` is synchronous so the hot path
 * pays nothing on a hit.
 */
export const createSessionIdentity = (o: SessionIdentityOptions) => {
  const cacheMs = o.cacheMs ?? 30_000;
  const ttl = o.tokenTtlSeconds ?? 120;
  const max = o.maxEntries ?? 50_000;
  const now = o.now ?? Date.now;
  const cache = new Map<string, Entry>();
  const pending = new Map<string, Promise<string | undefined>>();

  const remember = (session: string, claims: { userId: number; role: FicusRole } | undefined) => {
    const t = now();
    const tokenExp = Math.floor(t / 1000) + ttl;
    const token = claims ? signUserToken({ userId: claims.userId, role: claims.role, exp: tokenExp }, o.secret) : undefined;
    if (cache.size >= max) cache.delete(cache.keys().next().value!); // oldest first (insertion order)
    cache.set(session, { token, until: t + (claims ? cacheMs : Math.min(cacheMs, 5000)), tokenExp });
    return token;
  };

  return {
    /** The signed header for a session if known and fresh; `null` when a lookup is needed. */
    cached(session: string): string | undefined | null {
      const e = cache.get(session);
      if (!e) return null;
      const t = now();
      if (e.until <= t || (e.token && e.tokenExp * 1000 - t < 10_000)) return null;
      return e.token;
    },
    /** Looks the session up (one lookup in flight per session); undefined for an invalid session. */
    resolve(session: string, cookieHeader: string): Promise<string | undefined> {
      let p = pending.get(session);
      if (!p) {
        p = o.lookup(cookieHeader).then((claims) => remember(session, claims), () => undefined)
          .finally(() => pending.delete(session));
        pending.set(session, p);
      }
      return p;
    },
  };
};
export type SessionIdentity = ReturnType<typeof createSessionIdentity>;

/** The monolith's `GET /api/me` as the session lookup. */
export const monolithSessionLookup = (legacyUrl: string, timeoutMs = 2000) => async (cookieHeader: string) => {
  const res = await fetch(new URL('/api/me', legacyUrl), { headers: { cookie: cookieHeader }, signal: AbortSignal.timeout(timeoutMs) });
  if (res.status === 401 || res.status === 403) return undefined;
  if (!res.ok) throw new Error(`session lookup answered ${res.status}`);
  const me = (await res.json()) as { id: number; role: string };
  return { userId: me.id, role: me.role === 'admin' ? 'admin' as const : 'customer' as const };
};
