import type { CatalogUnitOfWork, ProductStore } from './product-store-type.ts';
import type { Category, Product, ProductQuery } from './product-types.ts';
import { catalogError } from '../catalog-errors.ts';

interface Row { id: number; sku: string; name: string; description: string; priceCents: number; categoryId: number; createdAt: Date; updatedAt: Date }

const cmp = (a: string | number | Date, b: string | number | Date) => (a < b ? -1 : a > b ? 1 : 0);
const orders: Record<ProductQuery['sort'], (a: Row, b: Row) => number> = {
  newest: (a, b) => cmp(b.createdAt, a.createdAt) || b.id - a.id,
  price_asc: (a, b) => a.priceCents - b.priceCents || a.id - b.id,
  price_desc: (a, b) => b.priceCents - a.priceCents || b.id - a.id,
  name_asc: (a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }) || a.id - b.id,
};

/** In-memory catalog for unit tests; transactions are snapshots restored on failure. */
export const createFakeProductStore = (): ProductStore & CatalogUnitOfWork & { categories: Category[]; products: Row[] } => {
  const categories: Category[] = [];
  const products: Row[] = [];
  const toProduct = (r: Row): Product => {
    const c = categories.find((x) => x.id === r.categoryId)!;
    return { id: r.id, sku: r.sku, name: r.name, description: r.description, priceCents: r.priceCents,
      category: { id: c.id, name: c.name, slug: c.slug }, createdAt: r.createdAt, updatedAt: r.updatedAt };
  };
  const store: ProductStore & CatalogUnitOfWork & { categories: Category[]; products: Row[] } = {
    categories,
    products,
    listCategories: async () => [...categories].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id),
    findCategory: async (id) => categories.find((c) => c.id === id),
    async insertCategory(c) {
      if (categories.some((x) => x.slug === c.slug)) throw catalogError('CATEGORY_SLUG_TAKEN', `a category with slug ${c.slug} already exists`);
      const id = categories.length + 1;
      categories.push({ id, name: c.name, slug: c.slug, createdAt: c.now });
      return id;
    },
    async listProducts(q) {
      const needle = q.q?.toLowerCase();
      const hits = products.filter((p) => (q.categoryId === undefined || p.categoryId === q.categoryId)
        && (q.minPriceCents === undefined || p.priceCents >= q.minPriceCents)
        && (q.maxPriceCents === undefined || p.priceCents <= q.maxPriceCents)
        && (!needle || p.name.toLowerCase().includes(needle) || p.description.toLowerCase().includes(needle)));
      hits.sort(orders[q.sort]);
      return { items: hits.slice((q.page - 1) * q.pageSize, q.page * q.pageSize).map(toProduct), total: hits.length };
    },
    async findProduct(id) {
      const r = products.find((p) => p.id === id);
      return r && toProduct(r);
    },
    async insertProduct(p) {
      if (products.some((x) => x.sku === p.sku)) throw catalogError('PRODUCT_SKU_TAKEN', `a product with SKU ${p.sku} already exists`);
      const id = products.length + 1;
      products.push({ id, sku: p.sku, name: p.name, description: p.description, priceCents: p.priceCents, categoryId: p.categoryId, createdAt: p.now, updatedAt: p.now });
      return id;
    },
    async updateProduct(id, patch, now) {
      const r = products.find((p) => p.id === id);
      if (!r) return;
      Object.assign(r, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), { updatedAt: now });
    },
    async run(fn) {
      const snapshot = { categories: structuredClone(categories), products: structuredClone(products) };
      try {
        return await fn(store);
      } catch (e) {
        categories.splice(0, categories.length, ...snapshot.categories);
        products.splice(0, products.length, ...snapshot.products);
        throw e;
      }
    },
  };
  return store;
};
