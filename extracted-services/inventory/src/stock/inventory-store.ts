import type { Knex } from 'knex';
import { retryOnLockConflict } from '@ficus/common';
import type { InventoryStore, InventoryUnitOfWork } from './inventory-store-type.ts';
import type { Adjustment, Reservation, StockLevel } from './inventory-types.ts';

interface LevelRow { product_id: number; on_hand: number; reserved: number; updated_at: Date }
const toLevel = (r: LevelRow): StockLevel => ({ productId: Number(r.product_id), onHand: r.on_hand, reserved: r.reserved, updatedAt: r.updated_at });

export const createInventoryStore = (db: Knex | Knex.Transaction): InventoryStore => ({
  async getLevel(productId) {
    const row = await db('stock_levels').where({ product_id: productId }).first();
    return row && toLevel(row);
  },
  async getLevels(productIds) {
    if (productIds.length === 0) return [];
    return (await db('stock_levels').whereIn('product_id', productIds).orderBy('product_id')).map(toLevel);
  },
  async lockLevels(productIds) {
    if (productIds.length === 0) return new Map();
    const rows = await db('stock_levels').whereIn('product_id', [...productIds].sort((a, b) => a - b)).orderBy('product_id').forUpdate();
    return new Map((rows as LevelRow[]).map((r) => [Number(r.product_id), toLevel(r)]));
  },
  async setOnHand(productId, onHand, now) {
    await db('stock_levels').insert({ product_id: productId, on_hand: onHand, reserved: 0, updated_at: now })
      .onConflict('product_id').merge({ on_hand: onHand, updated_at: now });
  },
  async updateLevel(productId, level, now) {
    await db('stock_levels').where({ product_id: productId })
      .update({ on_hand: level.onHand, reserved: level.reserved, updated_at: now });
  },
  async insertAdjustment(a) {
    const [id] = await db('stock_adjustments').insert({
      product_id: a.productId, delta: a.delta, on_hand_after: a.quantityAfter, reason: a.reason, admin_user_id: a.adminUserId, created_at: a.createdAt,
    });
    return Number(id);
  },
  async listAdjustments(productId, limit) {
    const rows = await db('stock_adjustments').where({ product_id: productId }).orderBy('id', 'desc').limit(limit);
    return rows.map((r: { id: number; product_id: number; delta: number; on_hand_after: number; reason: string; admin_user_id: number | null; created_at: Date }): Adjustment => ({
      id: Number(r.id), productId: Number(r.product_id), delta: r.delta, quantityAfter: r.on_hand_after, reason: r.reason,
      adminUserId: r.admin_user_id === null ? null : Number(r.admin_user_id), createdAt: r.created_at,
    }));
  },
  async findReservation(key, lock = false) {
    const q = db('reservations').where({ reservation_key: key }).first();
    const row = await (lock ? q.forUpdate() : q);
    if (!row) return undefined;
    const items = await db('reservation_items').where({ reservation_id: row.id }).orderBy('product_id').select('product_id', 'quantity');
    return {
      key: row.reservation_key, status: row.status, reference: row.reference, requestHash: row.request_hash,
      items: items.map((i: { product_id: number; quantity: number }) => ({ productId: Number(i.product_id), quantity: i.quantity })),
      expiresAt: row.expires_at, createdAt: row.created_at, updatedAt: row.updated_at,
    } satisfies Reservation;
  },
  async insertReservation(r) {
    const [id] = await db('reservations').insert({
      reservation_key: r.key, status: r.status, reference: r.reference, request_hash: r.requestHash,
      expires_at: r.expiresAt, created_at: r.createdAt, updated_at: r.updatedAt,
    });
    if (r.items.length) await db('reservation_items').insert(r.items.map((i) => ({ reservation_id: id, product_id: i.productId, quantity: i.quantity })));
  },
  async setReservationStatus(key, status, now) {
    await db('reservations').where({ reservation_key: key }).update({ status, updated_at: now });
  },
  async dueForExpiry(now, limit) {
    const rows = await db('reservations').where('status', 'held').where('expires_at', '<=', now).orderBy('expires_at').limit(limit).select('reservation_key');
    return rows.map((r: { reservation_key: string }) => r.reservation_key);
  },
});

/** One transaction per call; a deadlock victim or a lock wait timeout is run again (retryOnLockConflict). */
export const createInventoryUnitOfWork = (knex: Knex): InventoryUnitOfWork => ({
  run: (fn) => retryOnLockConflict(() => knex.transaction((trx) => fn(createInventoryStore(trx)))),
});
