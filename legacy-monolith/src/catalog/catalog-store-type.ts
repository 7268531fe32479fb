import type { Category, NewProduct, Product, ProductDetail, ProductPatch, ProductQuery } from './catalog-types.ts';

export interface CatalogStore {
  listCategories(): Promise<Category[]>;
  findCategory(id: number): Promise<Category | undefined>;
  /** Throws CATEGORY_SLUG_TAKEN when the slug exists. */
  insertCategory(c: { name: string; slug: string; now: Date }): Promise<number>;
  listProducts(query: ProductQuery): Promise<{ items: Product[]; total: number }>;
  findProduct(id: number): Promise<ProductDetail | undefined>;
  /** Throws PRODUCT_SKU_TAKEN when the SKU exists. */
  insertProduct(p: NewProduct): Promise<number>;
  updateProduct(id: number, patch: ProductPatch, now: Date): Promise<void>;
}
