import type { OrderStatus } from '../api/orders-api.ts';
import type { NewOrder, Order, OrderPatch, OrderPayment, OrderSummary } from './order-types.ts';

export interface OrderStore {
  /** Throws the driver's duplicate-key error when the key exists. */
  insert(o: NewOrder): Promise<number>;
  findByKey(key: string, lock?: boolean): Promise<Order | undefined>;
  findById(id: number): Promise<Order | undefined>;
  /** Newest first (by id); only the given statuses. */
  list(filter: { userId?: number | undefined; statuses: readonly OrderStatus[] }, page: number, pageSize: number): Promise<{ items: OrderSummary[]; total: number }>;
  update(id: number, patch: OrderPatch): Promise<void>;
  insertPayment(orderId: number, p: Omit<OrderPayment, 'id'>): Promise<number>;
}

export interface OrdersUnitOfWork {
  run<T>(fn: (store: OrderStore) => Promise<T>): Promise<T>;
}
