import type { OrderStatus } from '../api/orders-api.ts';

export interface OrderItem { productId: number; sku: string; name: string; quantity: number; unitPriceCents: number }
export interface OrderPayment { id: number; kind: 'charge' | 'refund'; status: 'succeeded'; amountCents: number; gatewayRef: string; createdAt: Date }

export interface Order {
  id: number;
  key: string | null;
  userId: number;
  customer: { email: string; name: string };
  status: OrderStatus;
  totalCents: number;
  requestHash: string | null;
  failure: { code: string; reason: string } | null;
  items: OrderItem[];
  payments: OrderPayment[];
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
}

export interface OrderSummary {
  id: number; status: OrderStatus; totalCents: number; itemCount: number; createdAt: Date; updatedAt: Date; cancelledAt: Date | null;
}

export type NewOrder = Omit<Order, 'id' | 'payments' | 'cancelledAt'>;
export type OrderPatch = { status: OrderStatus; updatedAt: Date; cancelledAt?: Date; failure?: { code: string; reason: string } };
