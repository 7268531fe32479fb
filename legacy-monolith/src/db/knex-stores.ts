import type { Knex } from 'knex';
import type { Stores, UnitOfWork } from './stores.ts';
import { createUserStore } from '../users/user-store.ts';
import { createCatalogStore } from '../catalog/catalog-store.ts';
import { createInventoryStore } from '../inventory/inventory-store.ts';
import { createCartStore } from '../cart/cart-store.ts';
import { createOrderStore } from '../orders/order-store.ts';
import { isDeadlock } from './mysql-errors.ts';

export const createKnexStores = (db: Knex | Knex.Transaction): Stores => ({
  users: createUserStore(db),
  catalog: createCatalogStore(db),
  inventory: createInventoryStore(db),
  carts: createCartStore(db),
  orders: createOrderStore(db),
});

const deadlockAttempts = 3;

/** One knex transaction per run; a deadlock victim was fully rolled back, so it is run again (up to 3 times). */
export const createKnexUnitOfWork = (knex: Knex): UnitOfWork => ({
  async run(fn) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await knex.transaction((trx) => fn(createKnexStores(trx)));
      } catch (e) {
        if (!isDeadlock(e) || attempt >= deadlockAttempts) throw e;
      }
    }
  },
});
