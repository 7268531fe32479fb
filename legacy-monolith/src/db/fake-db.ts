import type { UserRecord } from '../users/user-types.ts';
import type { Category } from '../catalog/catalog-types.ts';
import type { Adjustment } from '../inventory/inventory-types.ts';
import type { OrderStatus, Payment } from '../orders/order-types.ts';

/** The in-memory tables behind the fake stores (plain data, so a transaction can snapshot it). */
export interface FakeDb {
  seq: Record<string, number>;
  users: UserRecord[];
  sessions: Array<{ id: string; userId: number; createdAt: Date; expiresAt: Date }>;
  categories: Category[];
  products: Array<{ id: number; sku: string; name: string; description: string; priceCents: number; categoryId: number; createdAt: Date; updatedAt: Date }>;
  inventory: Array<{ productId: number; quantity: number; updatedAt: Date }>;
  adjustments: Adjustment[];
  cart: Array<{ userId: number; productId: number; quantity: number; createdAt: Date }>;
  orders: Array<{ id: number; userId: number; status: OrderStatus; totalCents: number; createdAt: Date; updatedAt: Date; cancelledAt: Date | null }>;
  orderItems: Array<{ id: number; orderId: number; productId: number; quantity: number; unitPriceCents: number }>;
  payments: Array<Payment & { orderId: number }>;
  notifications: Array<{ id: number; userId: number; orderId: number | null; template: string; recipient: string; subject: string; body: string; createdAt: Date }>;
}

export const emptyFakeDb = (): FakeDb => ({
  seq: {}, users: [], sessions: [], categories: [], products: [], inventory: [], adjustments: [], cart: [],
  orders: [], orderItems: [], payments: [], notifications: [],
});

export const nextId = (db: FakeDb, table: string): number => (db.seq[table] = (db.seq[table] ?? 0) + 1);
