import type { FakeDb } from '../db/fake-db.ts';
import type { CatalogStore } from './catalog-store-type.ts';
import type { Product, ProductQuery } from './catalog-types.ts';
import { nextId } from '../db/fake-db.ts';
import { appError } from '../errors.ts';

const compare: Record<ProductQuery['sort'], (a: Product, b: Product) => number> = {
  newest: (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b.id - a.id,
  price_asc: (a, b) => a.priceCents - b.priceCents || a.id - b.id,
  price_desc: (a, b) => b.priceCents - a.priceCents || b.id - a.id,
  name_asc: (a, b) => a.name.localeCompare(b.name) || a.id - b.id,
};

export const createFakeCatalogStore = (db: FakeDb): CatalogStore => {
  const view = (p: FakeDb['products'][number]): Product => {
    const c = db.categories.find((x) => x.id === p.categoryId)!;
    const { categoryId: _c, ...rest } = p;
    return { ...rest, category: { id: c.id, name: c.name, slug: c.slug } };
  };
  return {
    listCategories: async () => [...db.categories].sort((a, b) => a.name.localeCompare(b.name)),
    findCategory: async (id) => db.categories.find((c) => c.id === id),
    async insertCategory(c) {
      if (db.categories.some((x) => x.slug === c.slug)) throw appError('CATEGORY_SLUG_TAKEN', `slug ${c.slug} exists`);
      const id = nextId(db, 'categories');
      db.categories.push({ id, name: c.name, slug: c.slug, createdAt: c.now });
      return id;
    },
    async listProducts(q) {
      const needle = q.q?.toLowerCase();
      const all = db.products.map(view).filter((p) =>
        (q.categoryId === undefined || p.category.id === q.categoryId)
        && (q.minPriceCents === undefined || p.priceCents >= q.minPriceCents)
        && (q.maxPriceCents === undefined || p.priceCents <= q.maxPriceCents)
        && (!needle || p.name.toLowerCase().includes(needle) || p.description.toLowerCase().includes(needle)))
        .sort(compare[q.sort]);
      return { items: all.slice((q.page - 1) * q.pageSize, q.page * q.pageSize), total: all.length };
    },
    async findProduct(id) {
      const p = db.products.find((x) => x.id === id);
      return p && { ...view(p), stock: db.inventory.find((i) => i.productId === id)?.quantity ?? 0 };
    },
    async insertProduct(p) {
      if (db.products.some((x) => x.sku === p.sku)) throw appError('PRODUCT_SKU_TAKEN', `SKU ${p.sku} exists`);
      const id = nextId(db, 'products');
      db.products.push({ id, sku: p.sku, name: p.name, description: p.description, priceCents: p.priceCents, categoryId: p.categoryId, createdAt: p.now, updatedAt: p.now });
      return id;
    },
    async updateProduct(id, patch, now) {
      const p = db.products.find((x) => x.id === id);
      if (!p) return;
      for (const [k, v] of Object.entries(patch)) if (v !== undefined) Object.assign(p, { [k]: v });
      p.updatedAt = now;
    },
  };
};
