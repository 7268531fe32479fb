import type { Knex } from 'knex';
import { retryOnLockConflict } from '@ficus/common';
import type { OrderStore, OrdersUnitOfWork } from './order-store-type.ts';
import type { Order, OrderSummary } from './order-types.ts';

interface OrderRow {
  id: number; order_key: string | null; user_id: number; customer_email: string; customer_name: string; status: Order['status'];
  total_cents: number; request_hash: string | null; failure_code: string | null; failure_reason: string | null;
  created_at: Date; updated_at: Date; cancelled_at: Date | null; item_count?: number | string | null;
}

const toSummary = (r: OrderRow): OrderSummary => ({
  id: Number(r.id), status: r.status, totalCents: Number(r.total_cents), itemCount: Number(r.item_count ?? 0),
  createdAt: r.created_at, updatedAt: r.updated_at, cancelledAt: r.cancelled_at,
});

export const createOrderStore = (db: Knex | Knex.Transaction): OrderStore => {
  const load = async (row: OrderRow | undefined): Promise<Order | undefined> => {
    if (!row) return undefined;
    const [items, payments] = await Promise.all([
      db('order_items').where({ order_id: row.id }).orderBy('id'),
      db('order_payments').where({ order_id: row.id }).orderBy('id'),
    ]);
    return {
      id: Number(row.id), key: row.order_key, userId: Number(row.user_id), customer: { email: row.customer_email, name: row.customer_name },
      status: row.status, totalCents: Number(row.total_cents), requestHash: row.request_hash,
      failure: row.failure_code ? { code: row.failure_code, reason: row.failure_reason ?? '' } : null,
      items: items.map((i: { product_id: number; sku: string; product_name: string; quantity: number; unit_price_cents: number }) => ({
        productId: Number(i.product_id), sku: i.sku, name: i.product_name, quantity: i.quantity, unitPriceCents: i.unit_price_cents,
      })),
      payments: payments.map((p: { id: number; kind: 'charge' | 'refund'; status: 'succeeded'; amount_cents: number; gateway_ref: string; created_at: Date }) => ({
        id: Number(p.id), kind: p.kind, status: p.status, amountCents: Number(p.amount_cents), gatewayRef: p.gateway_ref, createdAt: p.created_at,
      })),
      createdAt: row.created_at, updatedAt: row.updated_at, cancelledAt: row.cancelled_at,
    };
  };
  return {
    async insert(o) {
      const [id] = await db('orders').insert({
        order_key: o.key, user_id: o.userId, customer_email: o.customer.email, customer_name: o.customer.name, status: o.status,
        total_cents: o.totalCents, request_hash: o.requestHash, failure_code: o.failure?.code ?? null, failure_reason: o.failure?.reason ?? null,
        created_at: o.createdAt, updated_at: o.updatedAt,
      });
      if (o.items.length) {
        await db('order_items').insert(o.items.map((i) => ({
          order_id: id, product_id: i.productId, sku: i.sku, product_name: i.name, quantity: i.quantity, unit_price_cents: i.unitPriceCents,
        })));
      }
      return Number(id);
    },
    async findByKey(key, lock = false) {
      const q = db('orders').where({ order_key: key }).first();
      return load(await (lock ? q.forUpdate() : q));
    },
    async findById(id) { return load(await db('orders').where({ id }).first()); },
    async list(filter, page, pageSize) {
      const where = (b: Knex.QueryBuilder) => {
        if (filter.userId !== undefined) b.where('o.user_id', filter.userId);
        return b.whereIn('o.status', [...filter.statuses]);
      };
      const itemCount = db('order_items').sum('quantity').where('order_id', db.ref('o.id')).as('item_count');
      const [rows, countRow] = await Promise.all([
        where(db('orders as o')).orderBy('o.id', 'desc').limit(pageSize).offset((page - 1) * pageSize).select('o.*', itemCount),
        where(db('orders as o')).count({ n: '*' }).first(),
      ]);
      return { items: (rows as OrderRow[]).map(toSummary), total: Number(countRow?.n ?? 0) };
    },
    async update(id, patch) {
      await db('orders').where({ id }).update({
        status: patch.status, updated_at: patch.updatedAt,
        ...(patch.cancelledAt ? { cancelled_at: patch.cancelledAt } : {}),
        ...(patch.failure ? { failure_code: patch.failure.code, failure_reason: patch.failure.reason } : {}),
      });
    },
    async insertPayment(orderId, p) {
      const [id] = await db('order_payments').insert({
        order_id: orderId, kind: p.kind, status: p.status, amount_cents: p.amountCents, gateway_ref: p.gatewayRef, created_at: p.createdAt,
      });
      return Number(id);
    },
  };
};

export const createOrdersUnitOfWork = (knex: Knex): OrdersUnitOfWork => ({
  run: (fn) => retryOnLockConflict(() => knex.transaction((trx) => fn(createOrderStore(trx)))),
});
