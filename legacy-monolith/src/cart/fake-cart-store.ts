import type { FakeDb } from '../db/fake-db.ts';
import type { CartStore } from './cart-store-type.ts';

export const createFakeCartStore = (db: FakeDb): CartStore => {
  const line = (userId: number, productId: number) => db.cart.find((c) => c.userId === userId && c.productId === productId);
  return {
    list: async (userId) => db.cart.filter((c) => c.userId === userId).map((c) => {
      const p = db.products.find((x) => x.id === c.productId)!;
      return { productId: c.productId, sku: p.sku, name: p.name, unitPriceCents: p.priceCents, quantity: c.quantity };
    }),
    async add(userId, productId, quantity, now) {
      const l = line(userId, productId);
      if (l) l.quantity += quantity;
      else db.cart.push({ userId, productId, quantity, createdAt: now });
    },
    async setQuantity(userId, productId, quantity) {
      const l = line(userId, productId);
      if (l) l.quantity = quantity;
      return l !== undefined;
    },
    async remove(userId, productId) {
      const before = db.cart.length;
      db.cart = db.cart.filter((c) => !(c.userId === userId && c.productId === productId));
      return db.cart.length < before;
    },
    async clear(userId) { db.cart = db.cart.filter((c) => c.userId !== userId); },
  };
};
