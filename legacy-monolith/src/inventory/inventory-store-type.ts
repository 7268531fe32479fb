import type { Adjustment, StockLevel } from './inventory-types.ts';

export interface InventoryStore {
  get(productId: number): Promise<StockLevel | undefined>;
  /** Locks the stock rows (SELECT ... FOR UPDATE, in id order) until the transaction ends; returns quantity per product. */
  lockForUpdate(productIds: number[]): Promise<Map<number, number>>;
  /** Creates the row when missing. */
  setQuantity(productId: number, quantity: number, now: Date): Promise<void>;
  insertAdjustment(a: Omit<Adjustment, 'id'>): Promise<number>;
  listAdjustments(productId: number, limit: number): Promise<Adjustment[]>;
}
