import type { Knex } from 'knex';
import type { CartStore } from './cart-store-type.ts';

export const createCartStore = (db: Knex | Knex.Transaction): CartStore => ({
  async list(userId) {
    const rows = await db('cart_items as ci').join('products as p', 'p.id', 'ci.product_id')
      .where('ci.user_id', userId).orderBy('ci.created_at').orderBy('ci.product_id')
      .select('ci.product_id', 'p.sku', 'p.name', 'p.price_cents', 'ci.quantity');
    return rows.map((r: { product_id: number; sku: string; name: string; price_cents: number; quantity: number }) => ({
      productId: r.product_id, sku: r.sku, name: r.name, unitPriceCents: r.price_cents, quantity: r.quantity,
    }));
  },
  async add(userId, productId, quantity, now) {
    await db('cart_items').insert({ user_id: userId, product_id: productId, quantity, created_at: now, updated_at: now })
      .onConflict(['user_id', 'product_id'])
      .merge({ quantity: db.raw('cart_items.quantity + VALUES(quantity)'), updated_at: now });
  },
  async setQuantity(userId, productId, quantity, now) {
    const n = await db('cart_items').where({ user_id: userId, product_id: productId }).update({ quantity, updated_at: now });
    return n > 0;
  },
  async remove(userId, productId) {
    return (await db('cart_items').where({ user_id: userId, product_id: productId }).delete()) > 0;
  },
  async clear(userId) {
    await db('cart_items').where({ user_id: userId }).delete();
  },
});
