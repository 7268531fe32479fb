export interface CartLine {
  productId: number;
  sku: string;
  name: string;
  /** The product's current price. */
  unitPriceCents: number;
  quantity: number;
}

export interface Cart {
  items: Array<CartLine & { lineTotalCents: number }>;
  itemCount: number;
  totalCents: number;
}
