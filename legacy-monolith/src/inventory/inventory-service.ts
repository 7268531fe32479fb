import type { Stores, UnitOfWork } from '../db/stores.ts';
import { appError } from '../errors.ts';

export interface InventoryServiceDeps {
  stores: Stores;
  uow: UnitOfWork;
  clock: () => Date;
}

/** Stock may not exceed this (the column is a signed 32-bit integer). */
export const maxStock = 1_000_000_000;

export const createInventoryService = ({ stores, uow, clock }: InventoryServiceDeps) => {
  const productMustExist = async (s: Stores, productId: number) => {
    if (!(await s.catalog.findProduct(productId))) throw appError('PRODUCT_NOT_FOUND', `no product with id ${productId}`, { productId });
  };

  return {
    async stock(productId: number) {
      await productMustExist(stores, productId);
      const level = await stores.inventory.get(productId);
      return level ?? { productId, quantity: 0, updatedAt: null };
    },

    async adjustments(productId: number, limit: number) {
      await productMustExist(stores, productId);
      return stores.inventory.listAdjustments(productId, limit);
    },

    /** Adds `delta` (negative to remove) under a row lock and records who did it and why. */
    adjust(adminUserId: number, productId: number, delta: number, reason: string) {
      return uow.run(async (s) => {
        await productMustExist(s, productId);
        const current = (await s.inventory.lockForUpdate([productId])).get(productId) ?? 0;
        const quantityAfter = current + delta;
        if (quantityAfter < 0 || quantityAfter > maxStock) {
          throw appError('INVENTORY_OUT_OF_RANGE', `stock is ${current}; adding ${delta} would leave it outside 0..${maxStock}`, { productId, quantity: current, delta });
        }
        const now = clock();
        await s.inventory.setQuantity(productId, quantityAfter, now);
        const adjustment = { productId, delta, quantityAfter, reason, adminUserId, createdAt: now };
        const id = await s.inventory.insertAdjustment(adjustment);
        return { id, ...adjustment };
      });
    },
  };
};

export type InventoryService = ReturnType<typeof createInventoryService>;
