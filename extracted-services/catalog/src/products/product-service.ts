import { paginated } from '@ficus/common';
import type { CatalogUnitOfWork, ProductStore } from './product-store-type.ts';
import type { ProductPatch, ProductQuery } from './product-types.ts';
import type { StockPort } from '../stock/stock-reader-type.ts';
import { catalogError } from '../catalog-errors.ts';

export interface ProductServiceDeps {
  store: ProductStore;
  uow: CatalogUnitOfWork;
  stock: StockPort;
  clock: () => Date;
}

export const createProductService = ({ store, uow, stock, clock }: ProductServiceDeps) => {
  const categoryMustExist = async (s: ProductStore, id: number) => {
    if (!(await s.findCategory(id))) throw catalogError('CATEGORY_NOT_FOUND', `no category with id ${id}`, { categoryId: id });
  };
  const productOrThrow = async (s: ProductStore, id: number) => {
    const p = await s.findProduct(id);
    if (!p) throw catalogError('PRODUCT_NOT_FOUND', `no product with id ${id}`, { productId: id });
    return p;
  };
  /** The product with its stock, which the inventory service owns. */
  const detail = async (s: ProductStore, id: number, requestId?: string) => {
    const p = await productOrThrow(s, id);
    return { ...p, stock: await stock.available(id, requestId) };
  };

  return {
    listCategories: () => store.listCategories(),

    async createCategory(input: { name: string; slug: string }) {
      const id = await store.insertCategory({ ...input, now: clock() });
      return (await store.findCategory(id))!;
    },

    async listProducts(query: ProductQuery) {
      const { items, total } = await store.listProducts(query);
      return paginated(items, query.page, query.pageSize, total);
    },

    getProduct: (id: number, requestId?: string) => detail(store, id, requestId),

    /**
     * Creates the product and asks inventory to set its initial stock before committing: when
     * inventory is unreachable nothing is written here (503 INVENTORY_UNAVAILABLE).
     */
    createProduct(input: { sku: string; name: string; description: string; priceCents: number; categoryId: number; initialStock: number }, requestId?: string) {
      return uow.run(async (s) => {
        await categoryMustExist(s, input.categoryId);
        const id = await s.insertProduct({ ...input, now: clock() });
        await stock.setInitial(id, input.initialStock, requestId);
        return { ...(await productOrThrow(s, id)), stock: input.initialStock };
      });
    },

    async updateProduct(id: number, patch: ProductPatch, requestId?: string) {
      await uow.run(async (s) => {
        await productOrThrow(s, id);
        if (patch.categoryId !== undefined) await categoryMustExist(s, patch.categoryId);
        await s.updateProduct(id, patch, clock());
      });
      return detail(store, id, requestId);
    },
  };
};

export type ProductService = ReturnType<typeof createProductService>;
