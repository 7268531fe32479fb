import type { InventoryStore, InventoryUnitOfWork } from './inventory-store-type.ts';
import type { Adjustment, Reservation, StockLevel } from './inventory-types.ts';

/** In-memory inventory for unit tests; a transaction is a snapshot restored on failure. */
export const createFakeInventoryStore = () => {
  let levels = new Map<number, StockLevel>();
  let adjustments: Adjustment[] = [];
  let reservations = new Map<string, Reservation>();
  const copy = <T>(v: T): T => structuredClone(v);
  const store: InventoryStore & InventoryUnitOfWork & { levels: () => Map<number, StockLevel>; reservations: () => Map<string, Reservation> } = {
    levels: () => levels,
    reservations: () => reservations,
    getLevel: async (id) => copy(levels.get(id)),
    getLevels: async (ids) => ids.filter((id) => levels.has(id)).sort((a, b) => a - b).map((id) => copy(levels.get(id)!)),
    lockLevels: async (ids) => new Map(ids.filter((id) => levels.has(id)).map((id) => [id, copy(levels.get(id)!)])),
    async setOnHand(productId, onHand, now) {
      levels.set(productId, { productId, onHand, reserved: levels.get(productId)?.reserved ?? 0, updatedAt: now });
    },
    async updateLevel(productId, l, now) { levels.set(productId, { productId, ...l, updatedAt: now }); },
    async insertAdjustment(a) { const id = adjustments.length + 1; adjustments.push({ id, ...a }); return id; },
    listAdjustments: async (productId, limit) => adjustments.filter((a) => a.productId === productId).reverse().slice(0, limit),
    findReservation: async (key) => copy(reservations.get(key)),
    async insertReservation(r) {
      if (reservations.has(r.key)) throw Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY' });
      reservations.set(r.key, copy(r));
    },
    async setReservationStatus(key, status, now) { const r = reservations.get(key); if (r) Object.assign(r, { status, updatedAt: now }); },
    dueForExpiry: async (now, limit) => [...reservations.values()].filter((r) => r.status === 'held' && r.expiresAt <= now).slice(0, limit).map((r) => r.key),
    async run(fn) {
      const snap = { levels: copy(levels), adjustments: copy(adjustments), reservations: copy(reservations) };
      try { return await fn(store); } catch (e) {
        levels = snap.levels; adjustments = snap.adjustments; reservations = snap.reservations;
        throw e;
      }
    },
  };
  return store;
};
