import type { Category, NewProduct, Product, ProductPatch, ProductQuery } from './product-types.ts';

export interface ProductStore {
  listCategories(): Promise<Category[]>;
  findCategory(id: number): Promise<Category | undefined>;
  /** Throws CATEGORY_SLUG_TAKEN when the slug exists. */
  insertCategory(c: { name: string; slug: string; now: Date }): Promise<number>;
  listProducts(query: ProductQuery): Promise<{ items: Product[]; total: number }>;
  findProduct(id: number): Promise<Product | undefined>;
  /** Throws PRODUCT_SKU_TAKEN when the SKU exists. */
  insertProduct(p: NewProduct): Promise<number>;
  updateProduct(id: number, patch: ProductPatch, now: Date): Promise<void>;
}

/** Runs `fn` in one transaction of the catalog database. */
export interface CatalogUnitOfWork {
  run<T>(fn: (store: ProductStore) => Promise<T>): Promise<T>;
}
