import type { LockedOrder, OrderDetail, OrderStatus, OrderSummary, Payment } from './order-types.ts';

export interface OrderStore {
  insertOrder(o: { userId: number; status: OrderStatus; totalCents: number; now: Date }): Promise<number>;
  insertItems(orderId: number, items: Array<{ productId: number; quantity: number; unitPriceCents: number }>): Promise<void>;
  /** The order with customer, items (joined with products) and payments. */
  findOrder(id: number): Promise<(OrderDetail & { userId: number }) | undefined>;
  listForUser(userId: number, page: number, pageSize: number): Promise<{ items: OrderSummary[]; total: number }>;
  /** Locks the order row (FOR UPDATE) until the transaction ends. */
  lockOrder(id: number): Promise<LockedOrder | undefined>;
  markCancelled(id: number, now: Date): Promise<void>;
  insertPayment(p: Omit<Payment, 'id'> & { orderId: number }): Promise<number>;
  insertNotification(n: {
    userId: number; orderId: number | null; template: 'order_placed' | 'order_cancelled';
    recipient: string; subject: string; body: string; now: Date;
  }): Promise<number>;
}
