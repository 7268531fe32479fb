import type { Knex } from 'knex';
import { categoriesToCatalog, inventoryToStockLevels, productsToCatalog, type TableMapping } from '@ficus/cdc';

type Copy = <R extends Record<string, unknown>>(target: Knex, table: string, rows: R[]) => Promise<void>;

/** A legacy row as knex reads it → the shape Debezium delivers (DATETIME as epoch milliseconds). */
const asChangeImage = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v instanceof Date ? v.getTime() : v]));

/** Applies a CDC mapping module to a snapshot of its source table: the same code the appliers run. */
const viaMapping = (mapping: TableMapping, rows: Array<Record<string, unknown>>) =>
  rows.map((r) => mapping.toTarget(mapping.sourceRow.parse(asChangeImage(r))));

/**
 * Legacy rows to the services' own schemas: the CDC mapping modules where the sync has one (so
 * contract tests and sync cannot disagree), plain copies for tables the sync does not carry.
 */
export const loadCatalogFromLegacy = async (legacy: Knex, catalog: Knex, copy: Copy): Promise<void> => {
  await copy(catalog, 'categories', viaMapping(categoriesToCatalog(), await legacy('categories').orderBy('id')));
  await copy(catalog, 'products', viaMapping(productsToCatalog(), await legacy('products').orderBy('id')));
};

export const loadInventoryFromLegacy = async (legacy: Knex, inventory: Knex, copy: Copy): Promise<void> => {
  await copy(inventory, 'stock_levels', viaMapping(inventoryToStockLevels(), await legacy('inventory').orderBy('product_id')));
  const adjustments = await legacy('inventory_adjustments').orderBy('id');
  await copy(inventory, 'stock_adjustments', adjustments.map((a: Record<string, unknown>) => ({
    id: a.id, product_id: a.product_id, delta: a.delta, on_hand_after: a.quantity_after, reason: a.reason,
    admin_user_id: a.admin_user_id, created_at: a.created_at,
  })));
};

/** Orders with the customer and product snapshots taken from the legacy rows they joined. */
export const loadOrdersFromLegacy = async (legacy: Knex, orders: Knex, copy: Copy): Promise<void> => {
  const rows = await legacy('orders as o').join('users as u', 'u.id', 'o.user_id').orderBy('o.id')
    .select('o.*', 'u.email as customer_email', 'u.name as customer_name');
  await copy(orders, 'orders', rows.map((o: Record<string, unknown>) => ({
    id: o.id, order_key: null, user_id: o.user_id, customer_email: o.customer_email, customer_name: o.customer_name, status: o.status,
    total_cents: o.total_cents, created_at: o.created_at, updated_at: o.updated_at, cancelled_at: o.cancelled_at,
  })));
  const items = await legacy('order_items as oi').join('products as p', 'p.id', 'oi.product_id').orderBy('oi.id')
    .select('oi.*', 'p.sku', 'p.name as product_name');
  await copy(orders, 'order_items', items.map((i: Record<string, unknown>) => ({
    id: i.id, order_id: i.order_id, product_id: i.product_id, sku: i.sku, product_name: i.product_name, quantity: i.quantity,
    unit_price_cents: i.unit_price_cents,
  })));
  const payments = await legacy('payments').orderBy('id');
  await copy(orders, 'order_payments', payments.map((p: Record<string, unknown>) => ({
    id: p.id, order_id: p.order_id, kind: p.kind, status: p.status, amount_cents: p.amount_cents, gateway_ref: p.gateway_ref,
    created_at: p.created_at,
  })));
};
