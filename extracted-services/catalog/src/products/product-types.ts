import type { ProductSort } from '../api/catalog-api.ts';

export interface Category {
  id: number;
  name: string;
  slug: string;
  createdAt: Date;
}

export interface Product {
  id: number;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  category: { id: number; name: string; slug: string };
  createdAt: Date;
  updatedAt: Date;
}

export interface ProductQuery {
  page: number;
  pageSize: number;
  categoryId?: number | undefined;
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
  /** Case-insensitive substring of name or description; LIKE wildcards are taken literally. */
  q?: string | undefined;
  sort: ProductSort;
}

export interface NewProduct {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  categoryId: number;
  now: Date;
}

export interface ProductPatch {
  name?: string | undefined;
  description?: string | undefined;
  priceCents?: number | undefined;
  categoryId?: number | undefined;
}
