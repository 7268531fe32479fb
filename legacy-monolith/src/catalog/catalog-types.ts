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

export interface ProductDetail extends Product {
  /** Units in stock (from inventory), 0 when none. */
  stock: number;
}

export type ProductSort = 'newest' | 'price_asc' | 'price_desc' | 'name_asc';

export interface ProductQuery {
  page: number;
  pageSize: number;
  categoryId?: number | undefined;
  minPriceCents?: number | undefined;
  maxPriceCents?: number | undefined;
  /** Case-insensitive substring of name or description. */
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
