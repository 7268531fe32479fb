import { z } from 'zod';
import { idSchema, pageSchema, timestampSchema } from './common-schemas.ts';
import { paginationQuery } from '../http/pagination.ts';

const priceCents = z.int().min(0).max(100_000_000);

export const productListQuery = z.object({
  ...paginationQuery,
  categoryId: z.coerce.number().int().positive().optional(),
  minPrice: z.coerce.number().int().min(0).optional().describe('lowest price in cents, inclusive'),
  maxPrice: z.coerce.number().int().min(0).optional().describe('highest price in cents, inclusive'),
  q: z.string().trim().min(1).max(100).optional().describe('case-insensitive substring of name or description'),
  sort: z.enum(['newest', 'price_asc', 'price_desc', 'name_asc']).default('newest'),
}).refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice,
  { message: 'minPrice must not exceed maxPrice', path: ['minPrice'] });

export const createCategoryBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case words joined by -').max(100),
});

export const createProductBody = z.strictObject({
  sku: z.string().regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, '3-32 upper-case letters, digits or -'),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(5000).default(''),
  priceCents,
  categoryId: idSchema,
  initialStock: z.int().min(0).max(1_000_000_000).default(0),
});

export const updateProductBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(5000).optional(),
  priceCents: priceCents.optional(),
  categoryId: idSchema.optional(),
}).refine((b) => Object.keys(b).length > 0, { message: 'give at least one field to change' });

export const categorySchema = z.strictObject({ id: idSchema, name: z.string(), slug: z.string(), createdAt: timestampSchema });
export const categoryListSchema = z.strictObject({ items: z.array(categorySchema) });

export const productSchema = z.strictObject({
  id: idSchema,
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.int().min(0).describe('price in euro cents'),
  category: z.strictObject({ id: idSchema, name: z.string(), slug: z.string() }),
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
});
export const productDetailSchema = productSchema.extend({ stock: z.int().min(0).describe('units in stock') });
export const productPageSchema = pageSchema(productSchema);
