import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({ id, name: z.string().min(1).max(100), slug: z.string().min(1).max(100), created_at: epochMillis }).strict();

/** legacy.categories → svc_catalog.categories (the legacy table has no updated_at: it is the creation time). */
export const categoriesToCatalog = (sourceDb = 'legacy'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.categories`,
  targetTable: 'categories',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({ id: r.id, slug: r.slug, name: r.name, created_at: r.created_at, updated_at: r.created_at }),
});
