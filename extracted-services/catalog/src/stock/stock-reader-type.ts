/** What the catalog needs from the inventory service: units a customer can still buy. */
export interface StockPort {
  /** Available units of the product, 0 when inventory has no stock row. Throws INVENTORY_UNAVAILABLE (503). */
  available(productId: number, requestId?: string): Promise<number>;
  /** Sets the on-hand stock of a new product (idempotent). */
  setInitial(productId: number, quantity: number, requestId?: string): Promise<void>;
}
