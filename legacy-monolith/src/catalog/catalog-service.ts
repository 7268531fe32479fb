import type { Stores, UnitOfWork } from '../db/stores.ts';
import type { ProductPatch, ProductQuery } from './catalog-types.ts';
import { appError } from '../errors.ts';
import { paginated } from '../http/pagination.ts';

export interface CatalogServiceDeps {
  stores: Stores;
  uow: UnitOfWork;
  clock: () => Date;
}

export const createCatalogService = ({ stores, uow, clock }: CatalogServiceDeps) => {
  const categoryMustExist = async (s: Stores, id: number) => {
    if (!(await s.catalog.findCategory(id))) throw appError('CATEGORY_NOT_FOUND', `no category with id ${id}`, { categoryId: id });
  };
  const productOrThrow = async (s: Stores, id: number) => {
    const p = await s.catalog.findProduct(id);
    if (!p) throw appError('PRODUCT_NOT_FOUND', `no product with id ${id}`, { productId: id });
    return p;
  };

  return {
    listCategories: () => stores.catalog.listCategories(),

    async createCategory(input: { name: string; slug: string }) {
      const id = await stores.catalog.insertCategory({ ...input, now: clock() });
      return (await stores.catalog.findCategory(id))!;
    },

    async listProducts(query: ProductQuery) {
      const { items, total } = await stores.catalog.listProducts(query);
      return paginated(items, query.page, query.pageSize, total);
    },

    getProduct: (id: number) => productOrThrow(stores, id),

    /** Creates the product and its stock row in one transaction. */
    createProduct(input: { sku: string; name: string; description: string; priceCents: number; categoryId: number; initialStock: number }) {
      return uow.run(async (s) => {
        await categoryMustExist(s, input.categoryId);
        const now = clock();
        const id = await s.catalog.insertProduct({ ...input, now });
        await s.inventory.setQuantity(id, input.initialStock, now);
        return productOrThrow(s, id);
      });
    },

    updateProduct(id: number, patch: ProductPatch) {
      return uow.run(async (s) => {
        await productOrThrow(s, id);
        if (patch.categoryId !== undefined) await categoryMustExist(s, patch.categoryId);
        await s.catalog.updateProduct(id, patch, clock());
        return productOrThrow(s, id);
      });
    },
  };
};

export type CatalogService = ReturnType<typeof createCatalogService>;
