import type { CartLine } from './cart-types.ts';

export interface CartStore {
  /** Lines joined with current product data, oldest first. */
  list(userId: number): Promise<CartLine[]>;
  /** Adds to the line's quantity, creating it when missing. */
  add(userId: number, productId: number, quantity: number, now: Date): Promise<void>;
  /** False when the line does not exist. */
  setQuantity(userId: number, productId: number, quantity: number, now: Date): Promise<boolean>;
  /** False when the line does not exist. */
  remove(userId: number, productId: number): Promise<boolean>;
  clear(userId: number): Promise<void>;
}
