import { z } from 'zod';
import type { TableMapping } from '../../apply/table-mapping-type.ts';
import { epochMillis, id } from '../debezium-types.ts';

const row = z.object({ id, slug: z.string().min(1).max(100), name: z.string().min(1).max(100), created_at: epochMillis, updated_at: epochMillis }).strict();

/** svc_catalog.categories → legacy.categories (reverse sync; legacy keeps no updated_at). */
export const catalogCategoriesToLegacy = (sourceDb = 'svc_catalog'): TableMapping<typeof row> => ({
  sourceTable: `${sourceDb}.categories`,
  targetTable: 'categories',
  targetKey: ['id'],
  sourceRow: row,
  toTarget: (r) => ({ id: r.id, name: r.name, slug: r.slug, created_at: r.created_at }),
});
