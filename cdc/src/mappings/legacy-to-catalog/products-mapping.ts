import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

/** `.strict()`: a column added to the legacy table fails loudly (dead letter) until the mapping knows it. */
const row = z.object({
  id,
  sku: z.string().min(1).max(32),
  name: z.string().min(1).max(200),
  description: z.string(),
  category_id: id,
  price_cents: z.number().int().nonnegative(),
  created_at: epochMillis,
  updated_at: epochMillis,
}).strict();

/** legacy.products → svc_catalog.products (the catalog prices in EUR, as the monolith does implicitly). */
export const productsToCatalog = (sourceDb = 'legacy'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.products`,
  targetTable: 'products',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({
    id: r.id, sku: r.sku, name: r.name, description: r.description, price_cents: r.price_cents, currency: 'EUR',
    category_id: r.category_id, created_at: r.created_at, updated_at: r.updated_at,
  }),
});
