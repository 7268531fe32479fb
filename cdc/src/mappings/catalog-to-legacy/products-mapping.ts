import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({
  id,
  sku: z.string().min(1).max(32),
  name: z.string().min(1).max(200),
  description: z.string(),
  price_cents: z.number().int().nonnegative(),
  // the monolith prices in EUR only: another currency cannot be written back without losing it
  currency: z.literal('EUR'),
  category_id: id,
  created_at: epochMillis,
  updated_at: epochMillis,
}).strict();

/** svc_catalog.products → legacy.products (reverse sync). */
export const catalogProductsToLegacy = (sourceDb = 'svc_catalog'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.products`,
  targetTable: 'products',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({
    id: r.id, sku: r.sku, name: r.name, description: r.description, category_id: r.category_id,
    price_cents: r.price_cents, created_at: r.created_at, updated_at: r.updated_at,
  }),
});
