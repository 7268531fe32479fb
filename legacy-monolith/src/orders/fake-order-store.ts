import type { FakeDb } from '../db/fake-db.ts';
import type { OrderStore } from './order-store-type.ts';
import type { OrderSummary } from './order-types.ts';
import { nextId } from '../db/fake-db.ts';

export const createFakeOrderStore = (db: FakeDb): OrderStore => {
  const summary = (o: FakeDb['orders'][number]): OrderSummary => {
    const { userId: _u, ...rest } = o;
    return { ...rest, itemCount: db.orderItems.filter((i) => i.orderId === o.id).reduce((n, i) => n + i.quantity, 0) };
  };
  return {
    async insertOrder(o) {
      const id = nextId(db, 'orders');
      db.orders.push({ id, userId: o.userId, status: o.status, totalCents: o.totalCents, createdAt: o.now, updatedAt: o.now, cancelledAt: null });
      return id;
    },
    async insertItems(orderId, items) {
      for (const i of items) db.orderItems.push({ id: nextId(db, 'orderItems'), orderId, ...i });
    },
    async findOrder(id) {
      const o = db.orders.find((x) => x.id === id);
      if (!o) return undefined;
      const u = db.users.find((x) => x.id === o.userId)!;
      return {
        ...summary(o),
        userId: o.userId,
        customer: { id: u.id, email: u.email, name: u.name },
        items: db.orderItems.filter((i) => i.orderId === id).map((i) => {
          const p = db.products.find((x) => x.id === i.productId)!;
          return { productId: i.productId, sku: p.sku, name: p.name, quantity: i.quantity, unitPriceCents: i.unitPriceCents, lineTotalCents: i.quantity * i.unitPriceCents };
        }),
        payments: db.payments.filter((p) => p.orderId === id).map(({ orderId: _o, ...p }) => p),
      };
    },
    async listForUser(userId, page, pageSize) {
      const all = db.orders.filter((o) => o.userId === userId).sort((a, b) => b.id - a.id).map(summary);
      return { items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length };
    },
    async lockOrder(id) {
      const o = db.orders.find((x) => x.id === id);
      return o && { id, userId: o.userId, status: o.status, totalCents: o.totalCents, items: db.orderItems.filter((i) => i.orderId === id).map((i) => ({ productId: i.productId, quantity: i.quantity })) };
    },
    async markCancelled(id, now) {
      const o = db.orders.find((x) => x.id === id);
      if (o) Object.assign(o, { status: 'cancelled', cancelledAt: now, updatedAt: now });
    },
    async insertPayment(p) {
      const id = nextId(db, 'payments');
      db.payments.push({ id, ...p });
      return id;
    },
    async insertNotification(n) {
      const id = nextId(db, 'notifications');
      db.notifications.push({ id, userId: n.userId, orderId: n.orderId, template: n.template, recipient: n.recipient, subject: n.subject, body: n.body, createdAt: n.now });
      return id;
    },
  };
};
