import type { Knex } from 'knex';
import type { CatalogStore } from './catalog-store-type.ts';
import type { Category, Product, ProductQuery } from './catalog-types.ts';
import { appError } from '../errors.ts';
import { isDuplicateKey } from '@ficus/common';

interface ProductRow {
  id: number; sku: string; name: string; description: string; price_cents: number;
  category_id: number; category_name: string; category_slug: string; created_at: Date; updated_at: Date;
}

const toProduct = (r: ProductRow): Product => ({
  id: r.id, sku: r.sku, name: r.name, description: r.description, priceCents: r.price_cents,
  category: { id: r.category_id, name: r.category_name, slug: r.category_slug },
  createdAt: r.created_at, updatedAt: r.updated_at,
});

const toCategory = (r: { id: number; name: string; slug: string; created_at: Date }): Category =>
  ({ id: r.id, name: r.name, slug: r.slug, createdAt: r.created_at });

const sortColumns: Record<ProductQuery['sort'], Array<[string, 'asc' | 'desc']>> = {
  newest: [['p.created_at', 'desc'], ['p.id', 'desc']],
  price_asc: [['p.price_cents', 'asc'], ['p.id', 'asc']],
  price_desc: [['p.price_cents', 'desc'], ['p.id', 'desc']],
  name_asc: [['p.name', 'asc'], ['p.id', 'asc']],
};

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export const createCatalogStore = (db: Knex | Knex.Transaction): CatalogStore => {
  // Products drive the join (STRAIGHT_JOIN): with table statistics in place MariaDB otherwise starts
  // from the dozen categories and sorts every product (temporary table + filesort) for each page,
  // instead of reading one page from the index of the list order.
  const products = () => db('products as p')
    .joinRaw('STRAIGHT_JOIN categories AS c ON c.id = p.category_id')
    .select('p.id', 'p.sku', 'p.name', 'p.description', 'p.price_cents', 'p.category_id',
      'c.name as category_name', 'c.slug as category_slug', 'p.created_at', 'p.updated_at');

  return {
    async listCategories() {
      return (await db('categories').orderBy('name').orderBy('id')).map(toCategory);
    },
    async findCategory(id) {
      const row = await db('categories').where({ id }).first();
      return row && toCategory(row);
    },
    async insertCategory(c) {
      try {
        const [id] = await db('categories').insert({ name: c.name, slug: c.slug, created_at: c.now });
        return Number(id);
      } catch (e) {
        if (isDuplicateKey(e)) throw appError('CATEGORY_SLUG_TAKEN', `a category with slug ${c.slug} already exists`);
        throw e;
      }
    },
    async listProducts(q) {
      const filter = (b: Knex.QueryBuilder) => {
        if (q.categoryId !== undefined) b.where('p.category_id', q.categoryId);
        if (q.minPriceCents !== undefined) b.where('p.price_cents', '>=', q.minPriceCents);
        if (q.maxPriceCents !== undefined) b.where('p.price_cents', '<=', q.maxPriceCents);
        if (q.q) {
          const like = `%${escapeLike(q.q)}%`;
          b.where((w) => w.where('p.name', 'like', like).orWhere('p.description', 'like', like));
        }
        return b;
      };
      const page = filter(products());
      for (const [col, dir] of sortColumns[q.sort]) page.orderBy(col, dir);
      const [rows, countRow] = await Promise.all([
        page.limit(q.pageSize).offset((q.page - 1) * q.pageSize),
        filter(db('products as p')).count({ n: '*' }).first(),
      ]);
      return { items: (rows as ProductRow[]).map(toProduct), total: Number(countRow?.n ?? 0) };
    },
    async findProduct(id) {
      const row = await products().leftJoin('inventory as i', 'i.product_id', 'p.id')
        .select('i.quantity as stock').where('p.id', id).first();
      return row && { ...toProduct(row as ProductRow), stock: Number(row.stock ?? 0) };
    },
    async insertProduct(p) {
      try {
        const [id] = await db('products').insert({
          sku: p.sku, name: p.name, description: p.description, price_cents: p.priceCents,
          category_id: p.categoryId, created_at: p.now, updated_at: p.now,
        });
        return Number(id);
      } catch (e) {
        if (isDuplicateKey(e)) throw appError('PRODUCT_SKU_TAKEN', `a product with SKU ${p.sku} already exists`);
        throw e;
      }
    },
    async updateProduct(id, patch, now) {
      const row: Record<string, unknown> = { updated_at: now };
      if (patch.name !== undefined) row.name = patch.name;
      if (patch.description !== undefined) row.description = patch.description;
      if (patch.priceCents !== undefined) row.price_cents = patch.priceCents;
      if (patch.categoryId !== undefined) row.category_id = patch.categoryId;
      await db('products').where({ id }).update(row);
    },
  };
};
