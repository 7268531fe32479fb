import { createHash } from 'node:crypto';
import { isDuplicateKey, paginated, type UserClaims } from '@ficus/common';
import type { CreateOrderInput, OrderStatus } from '../api/orders-api.ts';
import type { OrderStore, OrdersUnitOfWork } from './order-store-type.ts';
import type { Order } from './order-types.ts';
import { orderError } from '../orders-errors.ts';

export interface OrderServiceDeps {
  store: OrderStore;
  uow: OrdersUnitOfWork;
  clock: () => Date;
}

/** Only these are shown to users: the monolith never shows a half-done or failed checkout. */
export const visibleStatuses: readonly OrderStatus[] = ['paid', 'cancelled'];

const hashOf = (input: CreateOrderInput) => createHash('sha256').update(JSON.stringify([input.userId, input.customer, input.items])).digest('hex');

/** The monolith's order detail shape. */
export const toOrderDetail = (o: Order) => ({
  id: o.id, status: o.status, totalCents: o.totalCents, itemCount: o.items.reduce((n, i) => n + i.quantity, 0),
  createdAt: o.createdAt, updatedAt: o.updatedAt, cancelledAt: o.cancelledAt,
  customer: { id: o.userId, email: o.customer.email, name: o.customer.name },
  items: o.items.map((i) => ({ ...i, lineTotalCents: i.quantity * i.unitPriceCents })),
  payments: o.payments,
});
export const toInternalOrder = (o: Order) => ({ ...toOrderDetail(o), key: o.key, failure: o.failure });

export const createOrderService = ({ store, uow, clock }: OrderServiceDeps) => {
  const lockedOrThrow = async (s: OrderStore, key: string) => {
    const o = await s.findByKey(key, true);
    if (!o) throw orderError('ORDER_NOT_FOUND', `no order with key ${key}`, { key });
    return o;
  };
  const invalid = (o: Order, step: string) => orderError('ORDER_INVALID_STATE', `order ${o.key ?? o.id} is ${o.status}: cannot ${step}`, { key: o.key, status: o.status });

  return {
    // --- monolith routes ---
    async list(user: UserClaims, page: number, pageSize: number) {
      const { items, total } = await store.list({ userId: user.userId, statuses: visibleStatuses }, page, pageSize);
      return paginated(items, page, pageSize, total);
    },

    async view(user: UserClaims, id: number) {
      const o = await store.findById(id);
      // Someone else's order is reported as missing, so ids cannot be probed (as in the monolith).
      if (!o || !visibleStatuses.includes(o.status) || (o.userId !== user.userId && user.role !== 'admin')) {
        throw orderError('ORDER_NOT_FOUND', `no order with id ${id}`, { orderId: id });
      }
      return toOrderDetail(o);
    },

    // --- internal routes (the saga) ---
    /** Creates a pending order once per key; the same key and content answers the existing one. */
    async create(key: string, input: CreateOrderInput): Promise<{ created: boolean; order: Order }> {
      const requestHash = hashOf(input);
      const existing = await store.findByKey(key);
      if (existing) {
        if (existing.requestHash === null) throw invalid(existing, 'create (it was marked failed before it was created)');
        if (existing.requestHash !== requestHash) throw orderError('IDEMPOTENCY_KEY_REUSED', `key ${key} was used for another order`, { key });
        return { created: false, order: existing };
      }
      const now = clock();
      try {
        const id = await uow.run((s) => s.insert({
          key, userId: input.userId, customer: input.customer, status: 'pending', requestHash, failure: null,
          totalCents: input.items.reduce((n, i) => n + i.unitPriceCents * i.quantity, 0),
          items: input.items.map((i) => ({ productId: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, unitPriceCents: i.unitPriceCents })),
          createdAt: now, updatedAt: now,
        }));
        return { created: true, order: (await store.findById(id))! };
      } catch (e) {
        if (isDuplicateKey(e)) return this.create(key, input);
        throw e;
      }
    },

    /** pending → paid, recording the charge. Idempotent. */
    markPaid: (key: string, charge: { amountCents: number; gatewayRef: string }) => uow.run(async (s) => {
      const o = await lockedOrThrow(s, key);
      if (o.status === 'paid') return o;
      if (o.status !== 'pending') throw invalid(o, 'mark paid');
      const now = clock();
      await s.insertPayment(o.id, { kind: 'charge', status: 'succeeded', amountCents: charge.amountCents, gatewayRef: charge.gatewayRef, createdAt: now });
      await s.update(o.id, { status: 'paid', updatedAt: now });
      return (await s.findById(o.id))!;
    }),

    /**
     * pending → failed with the saga's reason. Idempotent. Marking a key that was never created
     * records a failed tombstone, so a late create with that key makes no order.
     */
    async markFailed(key: string, failure: { code: string; reason: string }) {
      const attempt = () => uow.run(async (s) => {
        const now = clock();
        const o = await s.findByKey(key, true);
        if (!o) {
          const id = await s.insert({ key, userId: 0, customer: { email: '', name: '' }, status: 'failed', totalCents: 0, requestHash: null, failure, items: [], createdAt: now, updatedAt: now });
          return (await s.findById(id))!;
        }
        if (o.status === 'failed') return o;
        if (o.status !== 'pending') throw invalid(o, 'mark failed');
        await s.update(o.id, { status: 'failed', failure, updatedAt: now });
        return (await s.findById(o.id))!;
      });
      try { return await attempt(); } catch (e) { if (isDuplicateKey(e)) return attempt(); throw e; }
    },

    /** paid → cancelled, recording the refund. Idempotent. */
    markCancelled: (key: string, refund: { amountCents: number; gatewayRef: string }) => uow.run(async (s) => {
      const o = await lockedOrThrow(s, key);
      if (o.status === 'cancelled') return o;
      if (o.status !== 'paid') throw invalid(o, 'cancel');
      const now = clock();
      await s.insertPayment(o.id, { kind: 'refund', status: 'succeeded', amountCents: refund.amountCents, gatewayRef: refund.gatewayRef, createdAt: now });
      await s.update(o.id, { status: 'cancelled', cancelledAt: now, updatedAt: now });
      return (await s.findById(o.id))!;
    }),

    async get(key: string) {
      const o = await store.findByKey(key);
      if (!o) throw orderError('ORDER_NOT_FOUND', `no order with key ${key}`, { key });
      return o;
    },

    async listInternal(filter: { userId?: number | undefined; status?: OrderStatus | undefined }, page: number, pageSize: number) {
      const statuses = filter.status ? [filter.status] : (['pending', 'paid', 'failed', 'cancelled'] as const);
      const { items, total } = await store.list({ userId: filter.userId, statuses }, page, pageSize);
      return paginated(items, page, pageSize, total);
    },
  };
};

export type OrderService = ReturnType<typeof createOrderService>;
