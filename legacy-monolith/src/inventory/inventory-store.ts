import type { Knex } from 'knex';
import type { InventoryStore } from './inventory-store-type.ts';
import type { Adjustment } from './inventory-types.ts';

interface AdjustmentRow {
  id: number; product_id: number; delta: number; quantity_after: number; reason: string;
  admin_user_id: number | null; created_at: Date;
}

const toAdjustment = (r: AdjustmentRow): Adjustment => ({
  id: r.id, productId: r.product_id, delta: r.delta, quantityAfter: r.quantity_after, reason: r.reason,
  adminUserId: r.admin_user_id, createdAt: r.created_at,
});

export const createInventoryStore = (db: Knex | Knex.Transaction): InventoryStore => ({
  async get(productId) {
    const row = await db('inventory').where({ product_id: productId }).first();
    return row && { productId: row.product_id, quantity: row.quantity, updatedAt: row.updated_at };
  },
  async lockForUpdate(productIds) {
    if (productIds.length === 0) return new Map();
    // Always lock in id order so two checkouts touching the same products cannot deadlock.
    const rows = await db('inventory').whereIn('product_id', [...productIds].sort((a, b) => a - b))
      .orderBy('product_id').select('product_id', 'quantity').forUpdate();
    return new Map(rows.map((r: { product_id: number; quantity: number }) => [r.product_id, r.quantity]));
  },
  async setQuantity(productId, quantity, now) {
    await db('inventory').insert({ product_id: productId, quantity, updated_at: now })
      .onConflict('product_id').merge(['quantity', 'updated_at']);
  },
  async insertAdjustment(a) {
    const [id] = await db('inventory_adjustments').insert({
      product_id: a.productId, delta: a.delta, quantity_after: a.quantityAfter, reason: a.reason,
      admin_user_id: a.adminUserId, created_at: a.createdAt,
    });
    return Number(id);
  },
  async listAdjustments(productId, limit) {
    const rows = await db('inventory_adjustments').where({ product_id: productId }).orderBy('id', 'desc').limit(limit);
    return rows.map(toAdjustment);
  },
});
