// Sign-in for a local tool: a one-time link (minted with the admin token, used once, short-lived)
// sets a signed session cookie. The token itself never rides in a URL or reaches the browser.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const sessionCookie = 'ficus_cockpit_session';

export interface SessionOptions {
  /** Signs the cookies: derived from the admin token, so a restart keeps sessions valid. */
  secret: string;
  sessionMs: number;
  linkMs?: number;
  now?: () => number;
}

const mac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64url');

export const createSessions = (o: SessionOptions) => {
  const key = createHmac('sha256', 'ficus-cockpit-session-v1').update(o.secret).digest();
  const now = o.now ?? Date.now;
  const linkMs = o.linkMs ?? 10 * 60_000;
  /** Open one-time codes: code → expiry. Used codes are deleted, so a link works once. */
  const codes = new Map<string, number>();
  const sweep = () => { const t = now(); for (const [c, until] of codes) if (until <= t) codes.delete(c); };
  return {
    /** A new one-time code (the link's `code`). */
    mintCode(): { code: string; expiresAt: string } {
      sweep();
      const code = randomBytes(24).toString('base64url');
      const until = now() + linkMs;
      codes.set(code, until);
      return { code, expiresAt: new Date(until).toISOString() };
    },
    /** Consumes a code: a session cookie value, or undefined (unknown, used or expired). */
    redeem(code: unknown): { value: string; maxAgeSeconds: number } | undefined {
      sweep();
      if (typeof code !== 'string' || !codes.has(code)) return undefined;
      codes.delete(code);
      const until = now() + o.sessionMs;
      const body = `${until}.${randomBytes(12).toString('base64url')}`;
      return { value: `${body}.${mac(key, body)}`, maxAgeSeconds: Math.floor(o.sessionMs / 1000) };
    },
    /** Whether a cookie value is a session this cockpit signed and that has not expired. */
    valid(value: string | undefined): boolean {
      if (!value) return false;
      const cut = value.lastIndexOf('.');
      if (cut < 0) return false;
      const body = value.slice(0, cut);
      const given = Buffer.from(value.slice(cut + 1));
      const expected = Buffer.from(mac(key, body));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
      return Number(body.split('.')[0]) > now();
    },
  };
};
export type Sessions = ReturnType<typeof createSessions>;

/** The value of one cookie from a Cookie header (no library needed for a single name). */
export const cookieOf = (header: string | undefined, name: string): string | undefined => {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
};
