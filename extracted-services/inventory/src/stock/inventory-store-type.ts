import type { ReservationStatus } from '../api/inventory-api.ts';
import type { Adjustment, Reservation, StockLevel } from './inventory-types.ts';

/** Storage port of the inventory service, bound to a connection or a transaction. */
export interface InventoryStore {
  getLevel(productId: number): Promise<StockLevel | undefined>;
  getLevels(productIds: number[]): Promise<StockLevel[]>;
  /** Locks the rows (FOR UPDATE, in product id order, so concurrent holds cannot deadlock). */
  lockLevels(productIds: number[]): Promise<Map<number, StockLevel>>;
  /** Creates the row when missing (reserved 0) or sets on_hand. */
  setOnHand(productId: number, onHand: number, now: Date): Promise<void>;
  updateLevel(productId: number, level: { onHand: number; reserved: number }, now: Date): Promise<void>;
  insertAdjustment(a: Omit<Adjustment, 'id'>): Promise<number>;
  listAdjustments(productId: number, limit: number): Promise<Adjustment[]>;
  /** With `lock`, the reservation row stays locked until the transaction ends. */
  findReservation(key: string, lock?: boolean): Promise<Reservation | undefined>;
  /** Throws the driver's duplicate-key error when the key exists. */
  insertReservation(r: Reservation): Promise<void>;
  setReservationStatus(key: string, status: ReservationStatus, now: Date): Promise<void>;
  /** Keys of held reservations whose hold ran out, oldest first. */
  dueForExpiry(now: Date, limit: number): Promise<string[]>;
}

export interface InventoryUnitOfWork {
  run<T>(fn: (store: InventoryStore) => Promise<T>): Promise<T>;
}
