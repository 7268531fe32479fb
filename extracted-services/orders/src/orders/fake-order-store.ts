import type { OrderStore, OrdersUnitOfWork } from './order-store-type.ts';
import type { Order } from './order-types.ts';

/** In-memory orders for unit tests; a transaction is a snapshot restored on failure. */
export const createFakeOrderStore = () => {
  let orders: Order[] = [];
  let paymentIds = 0;
  const copy = <T>(v: T): T => structuredClone(v);
  const store: OrderStore & OrdersUnitOfWork & { orders: () => Order[] } = {
    orders: () => orders,
    async insert(o) {
      if (o.key !== null && orders.some((x) => x.key === o.key)) throw Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY' });
      const id = orders.length + 1;
      orders.push({ ...copy(o), id, payments: [], cancelledAt: null });
      return id;
    },
    findByKey: async (key) => copy(orders.find((o) => o.key === key)),
    findById: async (id) => copy(orders.find((o) => o.id === id)),
    async list(f, page, pageSize) {
      const hits = orders.filter((o) => (f.userId === undefined || o.userId === f.userId) && f.statuses.includes(o.status)).sort((a, b) => b.id - a.id);
      return {
        total: hits.length,
        items: hits.slice((page - 1) * pageSize, page * pageSize).map((o) => ({
          id: o.id, status: o.status, totalCents: o.totalCents, itemCount: o.items.reduce((n, i) => n + i.quantity, 0),
          createdAt: o.createdAt, updatedAt: o.updatedAt, cancelledAt: o.cancelledAt,
        })),
      };
    },
    async update(id, p) {
      const o = orders.find((x) => x.id === id)!;
      o.status = p.status; o.updatedAt = p.updatedAt;
      if (p.cancelledAt) o.cancelledAt = p.cancelledAt;
      if (p.failure) o.failure = p.failure;
    },
    async insertPayment(orderId, p) {
      const id = ++paymentIds;
      orders.find((x) => x.id === orderId)!.payments.push({ id, ...p });
      return id;
    },
    async run(fn) {
      const snap = copy(orders);
      try { return await fn(store); } catch (e) { orders = snap; throw e; }
    },
  };
  return store;
};
