import type { UserStore } from '../users/user-store-type.ts';
import type { CatalogStore } from '../catalog/catalog-store-type.ts';
import type { InventoryStore } from '../inventory/inventory-store-type.ts';
import type { CartStore } from '../cart/cart-store-type.ts';
import type { OrderStore } from '../orders/order-store-type.ts';

/** All storage ports of the monolith; one database, so one set bound to a connection or a transaction. */
export interface Stores {
  users: UserStore;
  catalog: CatalogStore;
  inventory: InventoryStore;
  carts: CartStore;
  orders: OrderStore;
}

/** Runs `fn` in one database transaction: every write inside commits together or not at all. */
export interface UnitOfWork {
  run<T>(fn: (stores: Stores) => Promise<T>): Promise<T>;
}
