export interface StockLevel {
  productId: number;
  quantity: number;
  updatedAt: Date;
}

export interface Adjustment {
  id: number;
  productId: number;
  delta: number;
  quantityAfter: number;
  reason: string;
  adminUserId: number | null;
  createdAt: Date;
}
