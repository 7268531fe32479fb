import type { Knex } from 'knex';
import type { Stores, UnitOfWork } from './stores.ts';
import { createUserStore } from '../users/user-store.ts';
import { createCatalogStore } from '../catalog/catalog-store.ts';
import { createInventoryStore } from '../inventory/inventory-store.ts';
import { createCartStore } from '../cart/cart-store.ts';
import { createOrderStore } from '../orders/order-store.ts';
import { retryOnLockConflict } from '@ficus/common';

export const createKnexStores = (db: Knex | Knex.Transaction): Stores => ({
  users: createUserStore(db),
  catalog: createCatalogStore(db),
  inventory: createInventoryStore(db),
  carts: createCartStore(db),
  orders: createOrderStore(db),
});

/** One knex transaction per run; a deadlock victim (or lock wait timeout) was fully rolled back, so it is run again (retryOnLockConflict). */
export const createKnexUnitOfWork = (knex: Knex): UnitOfWork => ({
  run: (fn) => retryOnLockConflict(() => knex.transaction((trx) => fn(createKnexStores(trx)))),
});
