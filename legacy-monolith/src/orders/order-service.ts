import type { Stores, UnitOfWork } from '../db/stores.ts';
import type { User } from '../users/user-types.ts';
import type { PaymentGateway } from './payment-gateway.ts';
import { appError } from '../errors.ts';
import { paginated } from '../http/pagination.ts';
import { orderCancelledEmail, orderPlacedEmail } from './order-emails.ts';

export interface OrderServiceDeps {
  stores: Stores;
  uow: UnitOfWork;
  gateway: PaymentGateway;
  clock: () => Date;
}

export const createOrderService = ({ stores, uow, gateway, clock }: OrderServiceDeps) => {
  const detailOrThrow = async (s: Stores, id: number, viewer: User) => {
    const order = await s.orders.findOrder(id);
    // Someone else's order is reported as missing, so ids cannot be probed.
    if (!order || (order.userId !== viewer.id && viewer.role !== 'admin')) throw appError('ORDER_NOT_FOUND', `no order with id ${id}`, { orderId: id });
    const { userId: _owner, ...detail } = order;
    return detail;
  };

  return {
    /**
     * Turns the cart into a paid order in one transaction: lock and decrement stock, record the
     * order at today's prices, charge, queue the confirmation email, empty the cart. Any failure
     * (out of stock, declined) rolls all of it back.
     */
    checkout(user: User) {
      return uow.run(async (s) => {
        const lines = await s.carts.list(user.id);
        if (lines.length === 0) throw appError('CART_EMPTY', 'the cart is empty');
        const stock = await s.inventory.lockForUpdate(lines.map((l) => l.productId));
        const now = clock();
        for (const l of lines) {
          const available = stock.get(l.productId) ?? 0;
          if (available < l.quantity) {
            throw appError('ORDER_OUT_OF_STOCK', `not enough stock for product ${l.productId}: ${available} left, ${l.quantity} wanted`,
              { productId: l.productId, requested: l.quantity, available });
          }
        }
        for (const l of lines) await s.inventory.setQuantity(l.productId, stock.get(l.productId)! - l.quantity, now);
        const totalCents = lines.reduce((n, l) => n + l.unitPriceCents * l.quantity, 0);
        const orderId = await s.orders.insertOrder({ userId: user.id, status: 'paid', totalCents, now });
        await s.orders.insertItems(orderId, lines.map((l) => ({ productId: l.productId, quantity: l.quantity, unitPriceCents: l.unitPriceCents })));
        const charge = await gateway.charge({ idempotencyKey: `order-${orderId}`, amountCents: totalCents });
        if (!charge.approved) throw appError('PAYMENT_DECLINED', `payment declined: ${charge.reason}`, { reason: charge.reason });
        await s.orders.insertPayment({ orderId, kind: 'charge', status: 'succeeded', amountCents: totalCents, gatewayRef: charge.ref, createdAt: now });
        await s.carts.clear(user.id);
        const order = await detailOrThrow(s, orderId, user);
        await s.orders.insertNotification({ userId: user.id, orderId, template: 'order_placed', recipient: user.email, now, ...orderPlacedEmail(order) });
        return order;
      });
    },

    async list(user: User, page: number, pageSize: number) {
      const { items, total } = await stores.orders.listForUser(user.id, page, pageSize);
      return paginated(items, page, pageSize, total);
    },

    get: (user: User, id: number) => detailOrThrow(stores, id, user),

    /** Cancels a paid order: restock, refund the charge, queue the email; all in one transaction. */
    cancel(user: User, id: number) {
      return uow.run(async (s) => {
        const locked = await s.orders.lockOrder(id);
        if (!locked || (locked.userId !== user.id && user.role !== 'admin')) throw appError('ORDER_NOT_FOUND', `no order with id ${id}`, { orderId: id });
        if (locked.status !== 'paid') throw appError('ORDER_NOT_CANCELLABLE', `order ${id} is ${locked.status}`, { orderId: id, status: locked.status });
        const now = clock();
        const stock = await s.inventory.lockForUpdate(locked.items.map((i) => i.productId));
        for (const i of locked.items) await s.inventory.setQuantity(i.productId, (stock.get(i.productId) ?? 0) + i.quantity, now);
        const before = await detailOrThrow(s, id, user);
        const charge = before.payments.find((p) => p.kind === 'charge');
        const refund = await gateway.refund({ chargeRef: charge?.gatewayRef ?? '', amountCents: locked.totalCents });
        await s.orders.insertPayment({ orderId: id, kind: 'refund', status: 'succeeded', amountCents: locked.totalCents, gatewayRef: refund.ref, createdAt: now });
        await s.orders.markCancelled(id, now);
        const order = await detailOrThrow(s, id, user);
        const owner = order.customer;
        await s.orders.insertNotification({ userId: owner.id, orderId: id, template: 'order_cancelled', recipient: owner.email, now, ...orderCancelledEmail(order) });
        return order;
      });
    },
  };
};

export type OrderService = ReturnType<typeof createOrderService>;
