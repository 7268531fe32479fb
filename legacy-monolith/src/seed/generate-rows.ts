import type { Prng } from './prng.ts';
import type { Pools } from './faker-pools.ts';
import { dt, str } from './sql-values.ts';

/** Seeded data ends here and reaches back one year, so runs are identical whatever the clock says. */
export const seedEpochMs = Date.UTC(2025, 5, 1);
const yearMs = 365 * 24 * 3_600_000;

export const columns = {
  categories: ['id', 'name', 'slug', 'created_at'],
  products: ['id', 'sku', 'name', 'description', 'category_id', 'price_cents', 'created_at', 'updated_at'],
  inventory: ['product_id', 'quantity', 'updated_at'],
  users: ['id', 'email', 'password_hash', 'name', 'address', 'role', 'created_at', 'updated_at'],
  cart_items: ['user_id', 'product_id', 'quantity', 'created_at', 'updated_at'],
  orders: ['id', 'user_id', 'status', 'total_cents', 'created_at', 'updated_at', 'cancelled_at'],
  order_items: ['id', 'order_id', 'product_id', 'quantity', 'unit_price_cents'],
  payments: ['id', 'order_id', 'kind', 'status', 'amount_cents', 'gateway_ref', 'created_at'],
  notifications: ['id', 'user_id', 'order_id', 'channel', 'template', 'recipient', 'subject', 'body', 'status', 'created_at', 'sent_at'],
} as const;

export const randomPastMs = (r: Prng) => seedEpochMs - Math.floor(r.next() * yearMs);

/** A price in cents that looks like a shop price (x.99, x.49, round tens). */
export const pricedCents = (r: Prng): number => {
  const euros = Math.floor(Math.exp(r.next() * Math.log(2000))) + r.int(0, 3);
  return euros * 100 + r.pick([99, 49, 0, 95]);
};

export const productRow = (r: Prng, p: Pools, id: number, categories: number, priceCents: number): string => {
  const created = randomPastMs(r);
  const name = `${r.pick(p.adjectives)} ${r.pick(p.materials)} ${r.pick(p.nouns)}`;
  return `(${id},${str(`SKU-${String(id).padStart(7, '0')}`)},${str(name)},${str(r.pick(p.descriptions))},${r.int(1, categories)},${priceCents},${dt(created)},${dt(created + r.int(0, 30) * 86_400_000)})`;
};

export const userEmail = (p: { first: string; last: string; id: number }) =>
  `${p.first}.${p.last}.${p.id}@example.com`.toLowerCase().replace(/[^a-z0-9.@]/g, '');

export const userRow = (r: Prng, p: Pools, id: number, passwordHash: string): { row: string; email: string; name: string } => {
  const first = r.pick(p.firstNames);
  const last = r.pick(p.lastNames);
  const created = randomPastMs(r);
  const email = userEmail({ first, last, id });
  const name = `${first} ${last}`;
  const address = r.chance(0.8) ? `${r.pick(p.streets)}, ${r.pick(p.cities)}` : null;
  return { row: `(${id},${str(email)},${str(passwordHash)},${str(name)},${str(address)},'customer',${dt(created)},${dt(created)})`, email, name };
};
