import { z } from 'zod';
import { paginationQuery, sharedServiceErrorCodes } from '@ficus/common';

/**
 * The catalog service's public contract: the monolith's catalog routes (same paths, shapes, codes)
 * plus nothing else. Other components import these types and constants, never the internals.
 */
export const catalogRoutes = {
  categories: '/api/categories',
  products: '/api/products',
  product: '/api/products/:id',
} as const;

/** Default port of the catalog service. */
export const catalogDefaultPort = 3101;

const idSchema = z.int().positive();
const timestamp = z.iso.datetime({ offset: false });
const priceCents = z.int().min(0).max(100_000_000);

export const productSorts = ['newest', 'price_asc', 'price_desc', 'name_asc'] as const;
export type ProductSort = (typeof productSorts)[number];

export const productListQuery = z.object({
  ...paginationQuery,
  categoryId: z.coerce.number().int().positive().optional(),
  minPrice: z.coerce.number().int().min(0).optional().describe('lowest price in cents, inclusive'),
  maxPrice: z.coerce.number().int().min(0).optional().describe('highest price in cents, inclusive'),
  q: z.string().trim().min(1).max(100).optional().describe('case-insensitive substring of name or description'),
  sort: z.enum(productSorts).default('newest'),
}).refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice,
  { message: 'minPrice must not exceed maxPrice', path: ['minPrice'] });

export const idParams = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

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

export const categorySchema = z.strictObject({ id: idSchema, name: z.string(), slug: z.string(), createdAt: timestamp });
export const categoryListSchema = z.strictObject({ items: z.array(categorySchema) });

export const productSchema = z.strictObject({
  id: idSchema,
  sku: z.string(),
  name: z.string(),
  description: z.string(),
  priceCents: z.int().min(0),
  category: z.strictObject({ id: idSchema, name: z.string(), slug: z.string() }),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export const productDetailSchema = productSchema.extend({ stock: z.int().min(0) });
export const productPageSchema = z.strictObject({
  items: z.array(productSchema),
  page: z.int().min(1),
  pageSize: z.int().min(1).max(100),
  total: z.int().min(0),
  totalPages: z.int().min(0),
});

export type CategoryJson = z.infer<typeof categorySchema>;
export type ProductJson = z.infer<typeof productSchema>;
export type ProductDetailJson = z.infer<typeof productDetailSchema>;
export type ProductPageJson = z.infer<typeof productPageSchema>;
export type CreateProductInput = z.output<typeof createProductBody>;
export type UpdateProductInput = z.output<typeof updateProductBody>;

/** Every code the catalog answers with (the monolith's codes for these routes, plus INVENTORY_UNAVAILABLE). */
export const catalogErrorCodes = {
  ...sharedServiceErrorCodes,
  CATEGORY_NOT_FOUND: 404, CATEGORY_SLUG_TAKEN: 409, PRODUCT_NOT_FOUND: 404, PRODUCT_SKU_TAKEN: 409,
  INVENTORY_UNAVAILABLE: 503,
} as const;
