import { createHash } from 'node:crypto';
import { isDuplicateKey } from '@ficus/common';
import { maxStock, type ReserveInput } from '../api/inventory-api.ts';
import type { InventoryStore, InventoryUnitOfWork } from './inventory-store-type.ts';
import type { Reservation, ReservationItem, StockLevel } from './inventory-types.ts';
import { inventoryError } from '../inventory-errors.ts';

export interface InventoryServiceDeps {
  store: InventoryStore;
  uow: InventoryUnitOfWork;
  clock: () => Date;
  reservation: { defaultTtlSeconds: number; maxTtlSeconds: number };
}

const hashItems = (items: ReservationItem[]) =>
  createHash('sha256').update(JSON.stringify([...items].sort((a, b) => a.productId - b.productId).map((i) => [i.productId, i.quantity]))).digest('hex');

export const toStockJson = (l: StockLevel) => ({ ...l, available: Math.max(0, l.onHand - l.reserved) });
export const toReservationJson = ({ requestHash: _h, ...r }: Reservation) => r;

export const createInventoryService = ({ store, uow, clock, reservation: ttl }: InventoryServiceDeps) => {
  const levelOrThrow = async (s: InventoryStore, productId: number) => {
    const l = await s.getLevel(productId);
    if (!l) throw inventoryError('PRODUCT_NOT_FOUND', `no product with id ${productId}`, { productId });
    return l;
  };
  const reservationOrThrow = async (s: InventoryStore, key: string) => {
    const r = await s.findReservation(key, true);
    if (!r) throw inventoryError('RESERVATION_NOT_FOUND', `no reservation with key ${key}`, { key });
    return r;
  };
  const invalidState = (r: Reservation, step: string) =>
    inventoryError('RESERVATION_INVALID_STATE', `reservation ${r.key} is ${r.status}: cannot ${step}`, { key: r.key, status: r.status });

  /** Gives the held units back to `available`; the caller holds the reservation lock. */
  const unhold = async (s: InventoryStore, r: Reservation, status: 'released' | 'expired', now: Date) => {
    const levels = await s.lockLevels(r.items.map((i) => i.productId));
    for (const i of r.items) {
      const l = levels.get(i.productId);
      if (l) await s.updateLevel(i.productId, { onHand: l.onHand, reserved: Math.max(0, l.reserved - i.quantity) }, now);
    }
    await s.setReservationStatus(r.key, status, now);
  };

  const expireOne = (key: string) => uow.run(async (s) => {
    const r = await s.findReservation(key, true);
    const now = clock();
    if (r && r.status === 'held' && r.expiresAt <= now) await unhold(s, r, 'expired', now);
  });

  const service = {
    // --- monolith routes ---
    async stock(productId: number) {
      const l = await levelOrThrow(store, productId);
      return { productId, quantity: l.onHand, updatedAt: l.updatedAt };
    },

    async adjustments(productId: number, limit: number) {
      await levelOrThrow(store, productId);
      return store.listAdjustments(productId, limit);
    },

    /** Adds `delta` to on-hand under a row lock; held units can not be adjusted away. */
    adjust(adminUserId: number, productId: number, delta: number, reason: string) {
      return uow.run(async (s) => {
        const current = (await s.lockLevels([productId])).get(productId);
        if (!current) throw inventoryError('PRODUCT_NOT_FOUND', `no product with id ${productId}`, { productId });
        const quantityAfter = current.onHand + delta;
        if (quantityAfter < current.reserved || quantityAfter > maxStock) {
          throw inventoryError('INVENTORY_OUT_OF_RANGE', `stock is ${current.onHand}; adding ${delta} would leave it outside ${current.reserved}..${maxStock}`,
            { productId, quantity: current.onHand, delta });
        }
        const now = clock();
        await s.updateLevel(productId, { onHand: quantityAfter, reserved: current.reserved }, now);
        const adjustment = { productId, delta, quantityAfter, reason, adminUserId, createdAt: now };
        return { id: await s.insertAdjustment(adjustment), ...adjustment };
      });
    },

    // --- internal routes ---
    async level(productId: number) { return toStockJson(await levelOrThrow(store, productId)); },
    async levels(productIds: number[]) { return (await store.getLevels(productIds)).map(toStockJson); },

    /** Sets on-hand (creating the row); it may not drop below the held units. */
    setOnHand(productId: number, onHand: number) {
      return uow.run(async (s) => {
        const current = (await s.lockLevels([productId])).get(productId);
        if (current && onHand < current.reserved) {
          throw inventoryError('INVENTORY_OUT_OF_RANGE', `${current.reserved} units are held; on-hand cannot be ${onHand}`, { productId, reserved: current.reserved });
        }
        await s.setOnHand(productId, onHand, clock());
        return toStockJson((await s.getLevel(productId))!);
      });
    },

    /**
     * Holds units of every item, all or nothing, under the caller's key. The same key with the
     * same items returns the existing reservation (`created: false`) whatever its state now.
     */
    async reserve(key: string, input: ReserveInput): Promise<{ created: boolean; reservation: Reservation }> {
      await service.expireDue();
      const requestHash = hashItems(input.items);
      const attempt = () => uow.run(async (s) => {
        // Locking: a locking read of a missing key takes a gap lock, and two such
        // gap locks followed by inserts deadlock. So: plain read; a racing insert of the same key
        // fails on the unique index and the retry below finds the winner's row.
        const existing = await s.findReservation(key);
        if (existing) {
          if (existing.items.length === 0) throw invalidState(existing, 'reserve (it was released before it was made)');
          if (existing.requestHash !== requestHash) throw inventoryError('IDEMPOTENCY_KEY_REUSED', `key ${key} was used for other items`, { key });
          return { created: false, reservation: existing };
        }
        const levels = await s.lockLevels(input.items.map((i) => i.productId));
        for (const i of [...input.items].sort((a, b) => a.productId - b.productId)) {
          const l = levels.get(i.productId);
          const available = l ? l.onHand - l.reserved : 0;
          if (available < i.quantity) {
            throw inventoryError('INSUFFICIENT_STOCK', `not enough stock for product ${i.productId}: ${available} left, ${i.quantity} wanted`,
              { productId: i.productId, requested: i.quantity, available });
          }
        }
        const now = clock();
        for (const i of input.items) {
          const l = levels.get(i.productId)!;
          await s.updateLevel(i.productId, { onHand: l.onHand, reserved: l.reserved + i.quantity }, now);
        }
        const seconds = Math.min(input.ttlSeconds ?? ttl.defaultTtlSeconds, ttl.maxTtlSeconds);
        const reservation: Reservation = {
          key, status: 'held', items: [...input.items].sort((a, b) => a.productId - b.productId), reference: input.reference ?? null,
          requestHash, expiresAt: new Date(now.getTime() + seconds * 1000), createdAt: now, updatedAt: now,
        };
        await s.insertReservation(reservation);
        return { created: true, reservation };
      });
      try {
        return await attempt();
      } catch (e) {
        // A concurrent request with the same key won the insert: answer with its reservation.
        if (isDuplicateKey(e)) return attempt();
        throw e;
      }
    },

    /** Turns the hold into a sale: on-hand and reserved both go down. Idempotent. */
    confirm(key: string) {
      return uow.run(async (s) => {
        const r = await reservationOrThrow(s, key);
        if (r.status === 'confirmed') return r;
        if (r.status !== 'held') throw invalidState(r, 'confirm');
        const now = clock();
        if (r.expiresAt <= now) {
          await unhold(s, r, 'expired', now);
          return { ...r, status: 'expired' as const, updatedAt: now };
        }
        const levels = await s.lockLevels(r.items.map((i) => i.productId));
        for (const i of r.items) {
          const l = levels.get(i.productId)!;
          await s.updateLevel(i.productId, { onHand: l.onHand - i.quantity, reserved: Math.max(0, l.reserved - i.quantity) }, now);
        }
        await s.setReservationStatus(key, 'confirmed', now);
        return { ...r, status: 'confirmed' as const, updatedAt: now };
      }).then((r) => {
        if (r.status === 'expired') throw invalidState(r, 'confirm');
        return r;
      });
    },

    /**
     * Gives held units back. Idempotent; releasing a key never reserved records a tombstone so a
     * late reserve with that key (a retried request overtaken by its compensation) holds nothing.
     */
    async release(key: string) {
      const attempt = () => uow.run(async (s) => {
        const now = clock();
        const r = (await s.findReservation(key)) && await s.findReservation(key, true);
        if (!r) {
          const tombstone: Reservation = { key, status: 'released', items: [], reference: null, requestHash: hashItems([]), expiresAt: now, createdAt: now, updatedAt: now };
          await s.insertReservation(tombstone);
          return tombstone;
        }
        if (r.status === 'released' || r.status === 'expired') return r;
        if (r.status !== 'held') throw invalidState(r, 'release (use restock for a confirmed reservation)');
        await unhold(s, r, 'released', now);
        return { ...r, status: 'released' as const, updatedAt: now };
      });
      try { return await attempt(); } catch (e) { if (isDuplicateKey(e)) return attempt(); throw e; }
    },

    /** Puts the units of a confirmed (sold) reservation back on hand, e.g. for a cancelled order. Idempotent. */
    restock(key: string) {
      return uow.run(async (s) => {
        const r = await reservationOrThrow(s, key);
        if (r.status === 'restocked') return r;
        if (r.status !== 'confirmed') throw invalidState(r, 'restock');
        const now = clock();
        const levels = await s.lockLevels(r.items.map((i) => i.productId));
        for (const i of r.items) {
          const l = levels.get(i.productId);
          if (l) await s.updateLevel(i.productId, { onHand: Math.min(maxStock, l.onHand + i.quantity), reserved: l.reserved }, now);
          else await s.setOnHand(i.productId, i.quantity, now);
        }
        await s.setReservationStatus(key, 'restocked', now);
        return { ...r, status: 'restocked' as const, updatedAt: now };
      });
    },

    async reservation(key: string) {
      const r = await store.findReservation(key);
      if (!r) throw inventoryError('RESERVATION_NOT_FOUND', `no reservation with key ${key}`, { key });
      return r;
    },

    /** Expires holds whose time ran out (the sweeper calls this; reserve does too, first). Returns how many. */
    async expireDue(limit = 100) {
      const keys = await store.dueForExpiry(clock(), limit);
      for (const key of keys) await expireOne(key);
      return keys.length;
    },
  };
  return service;
};

export type InventoryService = ReturnType<typeof createInventoryService>;
