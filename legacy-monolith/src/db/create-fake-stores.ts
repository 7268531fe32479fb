import type { Stores, UnitOfWork } from './stores.ts';
import { emptyFakeDb, type FakeDb } from './fake-db.ts';
import { createFakeUserStore } from '../users/fake-user-store.ts';
import { createFakeCatalogStore } from '../catalog/fake-catalog-store.ts';
import { createFakeInventoryStore } from '../inventory/fake-inventory-store.ts';
import { createFakeCartStore } from '../cart/fake-cart-store.ts';
import { createFakeOrderStore } from '../orders/fake-order-store.ts';

/**
 * In-memory stores for unit tests. The unit of work snapshots the tables and restores them when
 * the function throws, so tests can check that a failure writes nothing.
 */
export const createFakeStores = (db: FakeDb = emptyFakeDb()): { db: FakeDb; stores: Stores; uow: UnitOfWork } => {
  const stores: Stores = {
    users: createFakeUserStore(db),
    catalog: createFakeCatalogStore(db),
    inventory: createFakeInventoryStore(db),
    carts: createFakeCartStore(db),
    orders: createFakeOrderStore(db),
  };
  const uow: UnitOfWork = {
    async run(fn) {
      const snapshot = structuredClone(db);
      try {
        return await fn(stores);
      } catch (e) {
        Object.assign(db, snapshot);
        throw e;
      }
    },
  };
  return { db, stores, uow };
};
