import type { Knex } from 'knex';
import type { OrderStore } from './order-store-type.ts';
import type { OrderStatus, OrderSummary } from './order-types.ts';

interface OrderRow {
  id: number; user_id: number; status: OrderStatus; total_cents: number; item_count: number | string | null;
  created_at: Date; updated_at: Date; cancelled_at: Date | null;
}

const toSummary = (r: OrderRow): OrderSummary => ({
  id: r.id, status: r.status, totalCents: r.total_cents, itemCount: Number(r.item_count ?? 0),
  createdAt: r.created_at, updatedAt: r.updated_at, cancelledAt: r.cancelled_at,
});

export const createOrderStore = (db: Knex | Knex.Transaction): OrderStore => {
  const itemCount = () => db('order_items').sum('quantity').where('order_id', db.ref('o.id')).as('item_count');
  return {
    async insertOrder(o) {
      const [id] = await db('orders').insert({
        user_id: o.userId, status: o.status, total_cents: o.totalCents, created_at: o.now, updated_at: o.now,
      });
      return Number(id);
    },
    async insertItems(orderId, items) {
      await db('order_items').insert(items.map((i) => ({
        order_id: orderId, product_id: i.productId, quantity: i.quantity, unit_price_cents: i.unitPriceCents,
      })));
    },
    async findOrder(id) {
      const row = await db('orders as o').join('users as u', 'u.id', 'o.user_id').where('o.id', id)
        .first('o.*', itemCount(), 'u.email as customer_email', 'u.name as customer_name');
      if (!row) return undefined;
      const [items, payments] = await Promise.all([
        db('order_items as oi').join('products as p', 'p.id', 'oi.product_id').where('oi.order_id', id).orderBy('oi.id')
          .select('oi.product_id', 'p.sku', 'p.name', 'oi.quantity', 'oi.unit_price_cents'),
        db('payments').where({ order_id: id }).orderBy('id'),
      ]);
      return {
        ...toSummary(row as OrderRow),
        userId: row.user_id,
        customer: { id: row.user_id, email: row.customer_email, name: row.customer_name },
        items: items.map((i: { product_id: number; sku: string; name: string; quantity: number; unit_price_cents: number }) => ({
          productId: i.product_id, sku: i.sku, name: i.name, quantity: i.quantity,
          unitPriceCents: i.unit_price_cents, lineTotalCents: i.quantity * i.unit_price_cents,
        })),
        payments: payments.map((p: { id: number; kind: 'charge' | 'refund'; status: 'succeeded'; amount_cents: number; gateway_ref: string; created_at: Date }) => ({
          id: p.id, kind: p.kind, status: p.status, amountCents: p.amount_cents, gatewayRef: p.gateway_ref, createdAt: p.created_at,
        })),
      };
    },
    async listForUser(userId, page, pageSize) {
      const [rows, countRow] = await Promise.all([
        db('orders as o').where('o.user_id', userId).orderBy('o.id', 'desc')
          .limit(pageSize).offset((page - 1) * pageSize).select('o.*', itemCount()),
        db('orders').where({ user_id: userId }).count({ n: '*' }).first(),
      ]);
      return { items: (rows as OrderRow[]).map(toSummary), total: Number(countRow?.n ?? 0) };
    },
    async lockOrder(id) {
      const row = await db('orders').where({ id }).forUpdate().first();
      if (!row) return undefined;
      const items = await db('order_items').where({ order_id: id }).select('product_id', 'quantity');
      return {
        id: row.id, userId: row.user_id, status: row.status, totalCents: row.total_cents,
        items: items.map((i: { product_id: number; quantity: number }) => ({ productId: i.product_id, quantity: i.quantity })),
      };
    },
    async markCancelled(id, now) {
      await db('orders').where({ id }).update({ status: 'cancelled', cancelled_at: now, updated_at: now });
    },
    async insertPayment(p) {
      const [id] = await db('payments').insert({
        order_id: p.orderId, kind: p.kind, status: p.status, amount_cents: p.amountCents,
        gateway_ref: p.gatewayRef, created_at: p.createdAt,
      });
      return Number(id);
    },
    async insertNotification(n) {
      const [id] = await db('notifications').insert({
        user_id: n.userId, order_id: n.orderId, channel: 'email', template: n.template, recipient: n.recipient,
        subject: n.subject, body: n.body, status: 'pending', created_at: n.now,
      });
      return Number(id);
    },
  };
};
