import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scryptAsync = (password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

/** scrypt with a per-password salt; the stored form `scrypt$N$r$p$salt$key` carries its own cost. */
export const createScryptHasher = ({ N = 16384, r = 8, p = 1 }: { N?: number; r?: number; p?: number } = {}): PasswordHasher => ({
  hash: async (password) => hashWithSalt(password, randomBytes(16), { N, r, p }),
  verify: async (password, stored) => {
    const [scheme, n, rr, pp, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !n || !rr || !pp || !salt || !key) return false;
    const expected = Buffer.from(key, 'base64url');
    const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length, {
      N: Number(n), r: Number(rr), p: Number(pp), maxmem: 256 * Number(n) * Number(rr),
    });
    return timingSafeEqual(actual, expected);
  },
});

/** Deterministic hashing for the seed generator (same salt for a given seed). */
export const hashWithSalt = async (password: string, salt: Buffer, { N, r, p }: { N: number; r: number; p: number }): Promise<string> => {
  const key = await scryptAsync(password, salt, 32, { N, r, p, maxmem: 256 * N * r });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
};
