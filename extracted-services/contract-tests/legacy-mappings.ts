import type { Knex } from 'knex';

type Copy = <R extends Record<string, unknown>>(target: Knex, table: string, rows: R[]) => Promise<void>;

/**
 * Legacy rows to the services' own schemas: what the CDC appliers do per change event, done here
 * once over a snapshot so the contract tests can load both sides from one seed.
 */
export const loadCatalogFromLegacy = async (legacy: Knex, catalog: Knex, copy: Copy): Promise<void> => {
  const categories = await legacy('categories').orderBy('id');
  await copy(catalog, 'categories', categories.map((c: { id: number; name: string; slug: string; created_at: Date }) =>
    ({ id: c.id, slug: c.slug, name: c.name, created_at: c.created_at, updated_at: c.created_at, source_position: 'test-snapshot' })));
  const products = await legacy('products').orderBy('id');
  await copy(catalog, 'products', products.map((p: Record<string, unknown>) => ({
    id: p.id, sku: p.sku, name: p.name, description: p.description, price_cents: p.price_cents, category_id: p.category_id,
    created_at: p.created_at, updated_at: p.updated_at, source_position: 'test-snapshot',
  })));
};

export const loadInventoryFromLegacy = async (legacy: Knex, inventory: Knex, copy: Copy): Promise<void> => {
  const levels = await legacy('inventory').orderBy('product_id');
  await copy(inventory, 'stock_levels', levels.map((r: { product_id: number; quantity: number; updated_at: Date }) =>
    ({ product_id: r.product_id, on_hand: r.quantity, reserved: 0, updated_at: r.updated_at, source_position: 'test-snapshot' })));
  const adjustments = await legacy('inventory_adjustments').orderBy('id');
  await copy(inventory, 'stock_adjustments', adjustments.map((a: Record<string, unknown>) => ({
    id: a.id, product_id: a.product_id, delta: a.delta, on_hand_after: a.quantity_after, reason: a.reason,
    admin_user_id: a.admin_user_id, created_at: a.created_at, source_position: 'test-snapshot',
  })));
};

/** Orders with the customer and product snapshots taken from the legacy rows they joined. */
export const loadOrdersFromLegacy = async (legacy: Knex, orders: Knex, copy: Copy): Promise<void> => {
  const rows = await legacy('orders as o').join('users as u', 'u.id', 'o.user_id').orderBy('o.id')
    .select('o.*', 'u.email as customer_email', 'u.name as customer_name');
  await copy(orders, 'orders', rows.map((o: Record<string, unknown>) => ({
    id: o.id, order_key: null, user_id: o.user_id, customer_email: o.customer_email, customer_name: o.customer_name, status: o.status,
    total_cents: o.total_cents, created_at: o.created_at, updated_at: o.updated_at, cancelled_at: o.cancelled_at, source_position: 'test-snapshot',
  })));
  const items = await legacy('order_items as oi').join('products as p', 'p.id', 'oi.product_id').orderBy('oi.id')
    .select('oi.*', 'p.sku', 'p.name as product_name');
  await copy(orders, 'order_items', items.map((i: Record<string, unknown>) => ({
    id: i.id, order_id: i.order_id, product_id: i.product_id, sku: i.sku, product_name: i.product_name, quantity: i.quantity,
    unit_price_cents: i.unit_price_cents, source_position: 'test-snapshot',
  })));
  const payments = await legacy('payments').orderBy('id');
  await copy(orders, 'order_payments', payments.map((p: Record<string, unknown>) => ({
    id: p.id, order_id: p.order_id, kind: p.kind, status: p.status, amount_cents: p.amount_cents, gateway_ref: p.gateway_ref,
    created_at: p.created_at, source_position: 'test-snapshot',
  })));
};
