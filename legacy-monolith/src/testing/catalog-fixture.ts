import type { HttpClient } from './http-client.ts';

let n = 0;

/** Creates a category and products through the admin API; returns product ids in order. */
export const createProducts = async (admin: HttpClient, products: Array<{ priceCents: number; stock: number; name?: string }>): Promise<number[]> => {
  const slug = `cat-${++n}-${Date.now()}`;
  const cat = await admin.post('/api/categories', { name: slug, slug });
  if (cat.status !== 201) throw new Error(`category: ${JSON.stringify(cat.body)}`);
  const ids: number[] = [];
  for (const p of products) {
    const res = await admin.post('/api/products', {
      sku: `SKU-${++n}-${Date.now()}`, name: p.name ?? `Product ${n}`, priceCents: p.priceCents,
      categoryId: (cat.body as { id: number }).id, initialStock: p.stock,
    });
    if (res.status !== 201) throw new Error(`product: ${JSON.stringify(res.body)}`);
    ids.push((res.body as { id: number }).id);
  }
  return ids;
};
