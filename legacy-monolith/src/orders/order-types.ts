export type OrderStatus = 'paid' | 'cancelled';

export interface OrderSummary {
  id: number;
  status: OrderStatus;
  totalCents: number;
  itemCount: number;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
}

export interface OrderItem {
  productId: number;
  sku: string;
  name: string;
  quantity: number;
  unitPriceCents: number;
  lineTotalCents: number;
}

export interface Payment {
  id: number;
  kind: 'charge' | 'refund';
  status: 'succeeded';
  amountCents: number;
  gatewayRef: string;
  createdAt: Date;
}

export interface OrderDetail extends OrderSummary {
  customer: { id: number; email: string; name: string };
  items: OrderItem[];
  payments: Payment[];
}

export interface LockedOrder {
  id: number;
  userId: number;
  status: OrderStatus;
  totalCents: number;
  items: Array<{ productId: number; quantity: number }>;
}
