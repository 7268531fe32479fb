import type { FakeDb } from '../db/fake-db.ts';
import type { InventoryStore } from './inventory-store-type.ts';
import { nextId } from '../db/fake-db.ts';

export const createFakeInventoryStore = (db: FakeDb): InventoryStore => ({
  get: async (productId) => {
    const row = db.inventory.find((i) => i.productId === productId);
    return row && { ...row };
  },
  lockForUpdate: async (ids) => new Map(db.inventory.filter((i) => ids.includes(i.productId)).map((i) => [i.productId, i.quantity])),
  async setQuantity(productId, quantity, now) {
    const row = db.inventory.find((i) => i.productId === productId);
    if (row) Object.assign(row, { quantity, updatedAt: now });
    else db.inventory.push({ productId, quantity, updatedAt: now });
  },
  async insertAdjustment(a) {
    const id = nextId(db, 'adjustments');
    db.adjustments.push({ id, ...a });
    return id;
  },
  listAdjustments: async (productId, limit) => db.adjustments.filter((a) => a.productId === productId).reverse().slice(0, limit),
});
