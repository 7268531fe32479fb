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
